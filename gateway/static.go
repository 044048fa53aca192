package gateway

import (
	"bytes"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/labstack/echo/v4"
)

// Limits on the static files, which are held in memory.
const (
	maxStaticFile  = 1 << 20
	maxStaticTotal = 8 << 20
)

// staticFile is one static file read into memory.
type staticFile struct {
	content     []byte
	contentType string
}

// staticFiles maps a slash-separated path to its file.
type staticFiles map[string]staticFile

// readStatic reads every file of fsys into memory, so that a reload
// switches all files at once and an edit in progress is never served.
func readStatic(fsys fs.FS) (staticFiles, error) {
	files := staticFiles{}
	total := 0
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if total += len(content); len(content) > maxStaticFile || total > maxStaticTotal {
			return fmt.Errorf("static file %s: the static files may hold at most %d bytes each, %d in all", name, maxStaticFile, maxStaticTotal)
		}
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = http.DetectContentType(content)
		}
		files[name] = staticFile{content: content, contentType: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	return files, nil
}

// handleStatic serves a static file: files only, no listings, nothing
// outside the static directory.
func (g *Gateway) handleStatic(c echo.Context) error {
	f, ok := g.current.Load().static[c.Param("*")]
	if !ok {
		return echo.ErrNotFound
	}
	c.Response().Header().Set(echo.HeaderContentType, f.contentType)
	http.ServeContent(c.Response(), c.Request(), "", time.Time{}, bytes.NewReader(f.content))
	return nil
}
