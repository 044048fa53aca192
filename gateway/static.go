package gateway

import (
	"io"
	"io/fs"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// handleStatic serves a file from the static directory. It serves files
// only: no directory listings, no index pages, no paths outside the
// directory.
func (g *Gateway) handleStatic(c echo.Context) error {
	name := c.Param("*")
	if !fs.ValidPath(name) || name == "." {
		return echo.ErrNotFound
	}
	f, err := g.static.Open(name)
	if err != nil {
		return echo.ErrNotFound
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.IsDir() {
		return echo.ErrNotFound
	}
	content, ok := f.(io.ReadSeeker)
	if !ok {
		return echo.ErrNotFound
	}
	http.ServeContent(c.Response(), c.Request(), name, time.Time{}, content)
	return nil
}
