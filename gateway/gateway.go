// Package gateway is the HTTP layer of safelink: the public /go endpoint that
// redirects or warns, its pages and static files, health checks, and the
// internal listener's routes.
package gateway

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/blibli/safelink/gateway/pages"
	"github.com/blibli/safelink/gateway/verdict"
)

// Config is what the gateway needs besides its policy and assets.
type Config struct {
	// HomeURL is where "back to Blibli" leads; it must be an official https
	// URL under the policy.
	HomeURL string
	// HSTSMaxAge, when positive, sends Strict-Transport-Security.
	HSTSMaxAge time.Duration
	// Logger receives request and error logs; nil discards them.
	Logger *slog.Logger
	// Status describes the loaded parts on /readyz.
	Status map[string]any
}

// Gateway serves the public and internal HTTP endpoints.
type Gateway struct {
	policy   *verdict.Policy
	pages    *pages.Set
	static   fs.FS
	homeURL  string
	headers  map[string]string
	log      *slog.Logger
	status   map[string]any
	draining atomic.Bool
}

// New checks the configuration and returns a Gateway.
func New(cfg Config, policy *verdict.Policy, pageSet *pages.Set, static fs.FS) (*Gateway, error) {
	home := policy.Decide(cfg.HomeURL)
	if home.Action != verdict.Redirect {
		return nil, fmt.Errorf("home URL %q must be an https URL on an official domain (it would get %s)", cfg.HomeURL, home.Action)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	g := &Gateway{
		policy:  policy,
		pages:   pageSet,
		static:  static,
		homeURL: home.Target,
		headers: securityHeaders(cfg.HSTSMaxAge),
		log:     logger,
		status:  cfg.Status,
	}
	if err := g.checkPages(); err != nil {
		return nil, err
	}
	return g, nil
}

// Drain marks the gateway as shutting down: /readyz answers 503 so that load
// balancers stop sending new requests while the in-flight ones finish.
func (g *Gateway) Drain() { g.draining.Store(true) }

// Public returns the handler of the public listener.
func (g *Gateway) Public() http.Handler {
	e := g.newEcho()
	get(e, "/", g.handleHome)
	get(e, "/go", g.handleGo)
	get(e, "/static/*", g.handleStatic)
	g.addHealth(e)
	return e
}

// Internal returns the handler of the internal listener.
func (g *Gateway) Internal() http.Handler {
	e := g.newEcho()
	g.addHealth(e)
	return e
}

func (g *Gateway) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = g.handleError
	e.Use(g.setHeaders, g.logRequests, middleware.Recover())
	return e
}

// get routes GET and HEAD to h; net/http drops the body of a HEAD answer.
func get(e *echo.Echo, path string, h echo.HandlerFunc) {
	e.Match([]string{http.MethodGet, http.MethodHead}, path, h)
}

func (g *Gateway) handleHome(c echo.Context) error {
	return c.Redirect(http.StatusFound, g.homeURL)
}

// handleGo decides on the link in u= and redirects, warns or refuses. It
// never fetches the destination and has no side effect.
func (g *Gateway) handleGo(c echo.Context) error {
	v, _ := g.policy.DecideQuery(c.Request().URL.RawQuery)
	switch v.Action {
	case verdict.Redirect:
		return c.Redirect(http.StatusFound, v.Target)
	case verdict.Warn:
		return g.render(c, g.verdictPage(pageWarn, http.StatusOK, &v))
	case verdict.Block:
		return g.render(c, g.verdictPage(pageBlock, http.StatusForbidden, &v))
	default:
		return g.render(c, g.verdictPage(pageInvalid, http.StatusBadRequest, &v))
	}
}

// handleError renders an error page for every error a handler returns.
func (g *Gateway) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
	}
	if status >= 500 {
		g.log.Error("request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
	}
	p := &Page{Page: pageError, Status: status, HomeURL: g.homeURL}
	if rerr := g.render(c, p); rerr != nil && !c.Response().Committed {
		g.log.Error("error page failed", "err", rerr)
		_ = c.String(status, http.StatusText(status))
	}
}
