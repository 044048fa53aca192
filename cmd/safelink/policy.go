package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/allowlist"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/scanners"
	"github.com/blibli/safelink/gateway/verdict"
)

// policyFlags are the settings every command that decides on links needs.
type policyFlags struct {
	allowlistDir string
	publicURL    string
}

func (p *policyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.allowlistDir, "allowlist-dir", "", "directory with official.txt, shorteners.txt and messaging.txt; empty uses the embedded allowlist")
	fs.StringVar(&p.publicURL, "public-url", "http://localhost:8080", "base URL of the gateway's public listener, as in its /go links")
}

// load reads the allowlist and builds the decision policy.
func (p *policyFlags) load() (*verdict.Policy, *allowlist.Lists, error) {
	lists, err := loadAllowlist(p.allowlistDir)
	if err != nil {
		return nil, nil, err
	}
	policy, err := click.NewPolicy(lists, p.publicURL)
	if err != nil {
		return nil, nil, err
	}
	return policy, lists, nil
}

// loadAllowlist loads the allowlist from dir, or the embedded one when dir
// is empty.
func loadAllowlist(dir string) (*allowlist.Lists, error) {
	return loadFiles(dir, safelink.Allowlist(), "allowlist", allowlist.Load)
}

// loadFiles runs load on the files of dir, or on the embedded files when
// dir is empty. Its errors say which files they are about.
func loadFiles[T any](dir string, embedded fs.FS, what string, load func(fs.FS) (T, error)) (T, error) {
	var zero T
	fsys, where := embedded, "embedded "+what
	if dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return zero, fmt.Errorf("%s directory: %w", what, err)
		}
		fsys, where = os.DirFS(dir), what+" "+dir
	}
	v, err := load(fsys)
	if err != nil {
		return zero, fmt.Errorf("%s:\n%w", where, err)
	}
	return v, nil
}

// dirSource names the directory that replaces embedded files, for logs,
// /readyz and the lint commands.
func dirSource(dir string) string {
	if dir == "" {
		return "embedded"
	}
	return dir
}

// loadScanners loads the link-preview and scanner patterns: scanners.txt
// of the allowlist directory when it has one, the embedded file otherwise.
// It returns where they came from, for logs, /readyz and lint.
func loadScanners(allowlistDir string) (*scanners.List, string, error) {
	dir := allowlistDir
	if dir != "" {
		if _, err := os.Stat(filepath.Join(dir, scanners.File)); errors.Is(err, fs.ErrNotExist) {
			dir = ""
		}
	}
	l, err := loadFiles(dir, safelink.Allowlist(), "allowlist", scanners.Load)
	return l, dirSource(dir), err
}
