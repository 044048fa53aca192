package gateway

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/applinks"
)

// addAppLinks serves the app association files of the bundle at the paths
// iOS and Android fetch them from, as application/json with a 200 and no
// redirect; a file the bundle lacks answers 404.
func (g *Gateway) addAppLinks(e *echo.Echo) {
	get(e, applinks.ApplePath, func(c echo.Context) error {
		return serveAppLinks(c, g.current.Load().appLinks.Apple)
	})
	get(e, applinks.AndroidPath, func(c echo.Context) error {
		return serveAppLinks(c, g.current.Load().appLinks.Android)
	})
}

func serveAppLinks(c echo.Context, file []byte) error {
	if len(file) == 0 {
		return echo.ErrNotFound
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, file)
}
