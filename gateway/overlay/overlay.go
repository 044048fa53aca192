// Package overlay layers a directory of override files over a base file
// system: a file in the top layer replaces the base file of the same name,
// and every other name falls back to the base.
package overlay

import (
	"io"
	"io/fs"
	"slices"
	"strings"
)

// FS is a read-only file system of two layers.
type FS struct {
	top, base fs.FS
}

// New returns top layered over base. A nil top gives base alone.
func New(top, base fs.FS) fs.FS {
	if top == nil {
		return base
	}
	return &FS{top: top, base: base}
}

// Open opens name from the top layer when it holds a regular file of that
// name, else from the base.
func (o *FS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	topInfo, topErr := fs.Stat(o.top, name)
	if topErr == nil && topInfo.Mode().IsRegular() {
		return o.top.Open(name)
	}
	f, err := o.base.Open(name)
	if err != nil && (topErr != nil || !topInfo.IsDir()) {
		return nil, err
	}
	if err == nil {
		info, statErr := f.Stat()
		if statErr != nil || !info.IsDir() {
			return f, statErr
		}
	} else if f, err = o.top.Open(name); err != nil {
		return nil, err
	}
	entries, err := o.ReadDir(name)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &dir{File: f, entries: entries}, nil
}

// dir is a directory of the overlay: the union of both layers' entries.
type dir struct {
	fs.File
	entries []fs.DirEntry
	offset  int
}

// ReadDir lists the merged entries, as fs.ReadDirFile does.
func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.offset:]
	if n <= 0 {
		d.offset = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.offset += n
	return rest[:n], nil
}

// ReadDir lists the union of both layers' entries, the top's winning.
func (o *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	baseEntries, baseErr := fs.ReadDir(o.base, name)
	topEntries, topErr := fs.ReadDir(o.top, name)
	if baseErr != nil && topErr != nil {
		return nil, baseErr
	}
	byName := map[string]fs.DirEntry{}
	for _, e := range baseEntries {
		byName[e.Name()] = e
	}
	for _, e := range topEntries {
		if e.Type().IsRegular() || byName[e.Name()] == nil {
			byName[e.Name()] = e
		}
	}
	entries := make([]fs.DirEntry, 0, len(byName))
	for _, e := range byName {
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

var _ fs.ReadDirFS = (*FS)(nil)
