package gateway

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// around wraps every handler of both listeners. It sets the security
// headers before the handler runs, so that error pages carry them too, and
// the Date header, formatted once a second rather than by net/http for
// every response; turns an error or a panic into an error page; times the
// request by route; and logs it at debug level without its query string,
// which holds the user's link. It is one middleware rather than four
// because echo chains its middleware anew for every request, one
// allocation each.
func (g *Gateway) around(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		h := c.Response().Header()
		setAll(h, g.headers)
		h["Date"] = g.date.at(start)
		if err := g.recovering(next, c); err != nil {
			c.Error(err)
		}
		took := time.Since(start)
		route := c.Path()
		if route == "" {
			route = "unknown"
		}
		g.metrics.duration.get(route).Observe(took.Seconds())
		g.metrics.responses.get(response{route, c.Response().Status}).Inc()
		if g.log.Enabled(c.Request().Context(), slog.LevelDebug) {
			g.log.Debug("request",
				"method", c.Request().Method,
				"route", route,
				"status", c.Response().Status,
				"bytes", c.Response().Size,
				"duration", took)
		}
		return nil
	}
}

// recovering runs h and turns a panic into an error, logged with its
// stack, so that the client gets the 500 page and the process lives on.
// http.ErrAbortHandler goes on up: it is how a handler aborts a response.
func (g *Gateway) recovering(h echo.HandlerFunc, c echo.Context) (err error) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if r == http.ErrAbortHandler {
			panic(r)
		}
		g.log.Error("handler panicked", "panic", r, "stack", string(debug.Stack()))
		err = fmt.Errorf("handler panicked: %v", r)
	}()
	return h(c)
}

// httpDate is the value of the Date header for the current second.
type httpDate struct {
	current atomic.Pointer[dateValue]
}

type dateValue struct {
	unix  int64
	value []string // of capacity one, like the security headers' values
}

// at returns the Date header's value for now; a handler that adds to it
// gets a new array, never a change to the shared one.
func (d *httpDate) at(now time.Time) []string {
	sec := now.Unix()
	if v := d.current.Load(); v != nil && v.unix == sec {
		return v.value
	}
	v := &dateValue{unix: sec, value: []string{now.UTC().Format(http.TimeFormat)}[:1:1]}
	d.current.Store(v)
	return v.value
}
