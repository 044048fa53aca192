package gateway

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (g *Gateway) addHealth(e *echo.Echo) {
	get(e, "/healthz", g.handleHealth)
	get(e, "/readyz", g.handleReady)
}

// handleHealth answers 200 while the process runs.
func (g *Gateway) handleHealth(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// handleReady answers 200 while the gateway can serve and 503 once it is
// draining, with the state of its parts and of the last reload.
func (g *Gateway) handleReady(c echo.Context) error {
	body := map[string]any{"status": "ready", "reload": g.ReloadStats(), "safebrowsing": g.threatStatus()}
	for k, v := range g.current.Load().status {
		body[k] = v
	}
	if g.draining.Load() {
		body["status"] = "draining"
		return c.JSON(http.StatusServiceUnavailable, body)
	}
	return c.JSON(http.StatusOK, body)
}
