// Package gateway is the HTTP layer of safelink: the public /go endpoint that
// redirects or warns, its pages and static files, health checks, and the
// internal listener's routes.
package gateway

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/bearer"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/linkify"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/redact"
	"github.com/blibli/safelink/gateway/token"
	"github.com/blibli/safelink/gateway/verdict"
)

// Config is what the gateway needs besides its reloadable bundle.
type Config struct {
	// HomeURL is where "back to Blibli" leads; it must be an official https
	// URL under every policy the gateway loads.
	HomeURL string
	// HSTSMaxAge, when positive, sends Strict-Transport-Security.
	HSTSMaxAge time.Duration
	// Logger receives request and error logs; nil discards them.
	Logger *slog.Logger
	// Secrets are taken out of the internal /readyz, whose states quote
	// the errors of client libraries; the logger should take them out of
	// its lines too (redact.Secrets.Handler).
	Secrets *redact.Secrets
	// Clicks decides on each click with its facts: signature, rules and
	// threat lists. The gateway counts its lookups in its metrics.
	Clicks click.Service
	// ListStats are the figures of the threat sources' lists, for
	// /metrics; a source without them is left out.
	ListStats map[verdict.Source]ThreatListStats
	// Shared is the state the replicas share: rules, events, limits.
	Shared Shared
	// Tokens signs the continue and report forms. Every replica needs the
	// same key; nil makes a random one, fit for a single instance only.
	Tokens *token.Signer
	// AdminTokens are the named bearer tokens of the admin API, APITokens
	// those of the rewrite API; none turns an API off. A token's name is
	// its caller's in limits, metrics and the audit log.
	AdminTokens bearer.Tokens
	APITokens   bearer.Tokens
	// Profiling serves Go's profiler at /debug/pprof/ on the internal
	// listener, to admin tokens. Off by default: a CPU profile or trace
	// costs while it runs, and the profiles show the code's inner working.
	Profiling bool
	// Rewriter turns the links of chat messages into gateway links for the
	// rewrite API.
	Rewriter *linkify.Rewriter
	// Console is the security team's console on the internal listener.
	Console Console
	// ClientIP finds a request's client address: behind a proxy, from the
	// header it sets. Nil takes the peer address.
	ClientIP echo.IPExtractor
}

// Server timeouts of the gateway's listeners, unless configured otherwise:
// a client gets this long to send its request line and headers, its whole
// request, and to take the response, and an idle keep-alive connection is
// closed after the last.
const (
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 10 * time.Second
	DefaultWriteTimeout      = 15 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
)

// Gateway serves the public and internal HTTP endpoints.
type Gateway struct {
	cfg      Config
	clicks   *click.Service
	tokens   *token.Signer
	metrics  *metrics
	load     Loader
	current  atomic.Pointer[loaded]
	reloads  reloadState
	headers  []header
	date     httpDate
	log      *slog.Logger
	draining atomic.Bool
	authLog  *ratelimit.Throttle // the log lines of failed authentications
	// console holds the console's pages and consoleStyle its style sheet;
	// nil without a console.
	console      consoleViews
	consoleStyle []byte
}

// New loads the first bundle, checks it, and returns a Gateway. It fails
// when the bundle does not load or does not pass the checks: a broken
// template or allowlist stops the start.
func New(cfg Config, load Loader) (*Gateway, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clicks.Log == nil {
		cfg.Clicks.Log = logger
	}
	if cfg.ClientIP == nil {
		cfg.ClientIP = echo.ExtractIPDirect()
	}
	g := &Gateway{
		cfg:     cfg,
		clicks:  &cfg.Clicks,
		tokens:  cfg.Tokens,
		load:    load,
		headers: securityHeaders(cfg.HSTSMaxAge),
		log:     logger,
		authLog: ratelimit.NewThrottle(authLogInterval),
	}
	if g.tokens == nil {
		g.tokens = token.RandomSigner()
	}
	if err := g.prepareConsole(); err != nil {
		return nil, err
	}
	g.metrics = newMetrics(g)
	g.clicks.Looked = func(result click.LookupResult) { g.metrics.threats.get(string(result)).Inc() }
	g.clicks.Expanded = g.metrics.observeExpansion
	l, err := g.prepare()
	if err != nil {
		return nil, err
	}
	g.current.Store(l)
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
	e.POST("/go/continue", g.handleContinue, readForm)
	e.POST("/report", g.handleReport, readForm)
	get(e, "/report/thanks", g.handleThanks)
	get(e, "/static/*", g.handleStatic)
	g.addAppLinks(e)
	g.addHealth(e, false)
	return e
}

// Internal returns the handler of the internal listener: health, metrics,
// the admin and rewrite APIs, the security team's console, and the preview
// gallery of every page variant with the static files it needs.
func (g *Gateway) Internal() http.Handler {
	e := g.newEcho()
	g.addHealth(e, true)
	get(e, "/metrics", g.handleMetrics())
	g.addAdmin(e)
	g.addRewrite(e)
	g.addPreview(e)
	g.addConsole(e)
	get(e, "/static/*", g.handleStatic)
	return e
}

func (g *Gateway) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = g.handleError
	e.IPExtractor = g.cfg.ClientIP
	e.Use(g.around)
	return e
}

// get routes GET and HEAD to h; net/http drops the body of a HEAD answer.
func get(e *echo.Echo, path string, h echo.HandlerFunc) {
	e.Match([]string{http.MethodGet, http.MethodHead}, path, h)
}

func (g *Gateway) handleHome(c echo.Context) error {
	return c.Redirect(http.StatusFound, g.current.Load().homeURL)
}

// handleGo decides on the link in u= and redirects, warns, blocks or
// refuses. It never fetches the destination; its one side effect is a
// counted event. At a person's click on a shortener link, it follows the
// shortener's redirects to decide on the destination instead (see
// click.Service.Expand). A link-preview bot or scanner gets the answer a
// person would, without the expansion, and is counted apart: a scan, not
// a click.
func (g *Gateway) handleGo(c echo.Context) error {
	l, now := g.current.Load(), time.Now()
	scanner, scan := scannerOf(c.Request(), l)
	v := g.decide(c.Request().Context(), l, c.Request().URL.RawQuery, now, !scan)
	if scan {
		g.metrics.scans.get(scanner).Inc()
		g.record(c, events.KindScan, &v, now)
	} else {
		g.metrics.observeDecision(&v)
		g.record(c, events.KindDecision, &v, now)
	}
	if v.Rule != nil {
		g.metrics.ruleHits.get(v.Rule.ID).Inc()
	}
	switch v.Action {
	case verdict.Redirect:
		return c.Redirect(http.StatusFound, v.Target)
	case verdict.Warn:
		c.Response().Header().Set("Content-Security-Policy", continuePolicy(v.URL))
		return g.renderVerdict(c, l, pageWarn, http.StatusOK, &v)
	case verdict.Block:
		return g.renderVerdict(c, l, pageBlock, http.StatusForbidden, &v)
	default:
		return g.renderVerdict(c, l, pageInvalid, http.StatusBadRequest, &v)
	}
}

// headScanner names the scanner of a HEAD request in metrics: a browser
// never sends one to open a link.
const headScanner = "HEAD"

// scannerOf tells whether r comes from a link-preview bot or a scanner
// rather than a person, and names it by its pattern in the bundle's
// scanner list.
func scannerOf(r *http.Request, l *loaded) (string, bool) {
	if r.Method == http.MethodHead {
		return headScanner, true
	}
	return l.scanners.Match(r.UserAgent())
}

// decide decides on the link of a /go query with the facts of a click made
// at now, and at a person's click looks up where a shortener link goes.
// What the query string alone decides is remembered by the bundle, so that
// a hot link is not parsed and decided again on every click.
func (g *Gateway) decide(ctx context.Context, l *loaded, rawQuery string, now time.Time, person bool) verdict.Verdict {
	q, ok := l.caches.queries.Get(rawQuery)
	if !ok {
		q = g.clicks.DecideQuery(l.policy, rawQuery)
		l.caches.queries.Put(rawQuery, q)
	}
	v := g.clicks.Apply(ctx, q.Verdict, q.Origin, now)
	// Asked first, so that the method value Expand takes is made, at the
	// cost of an allocation, only for a shortener link.
	if person && v.Expandable() {
		v = g.clicks.Expand(ctx, l.caches.destinations, l.policy.Lists.Shortener, v, q.Origin, now)
	}
	return v
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
	if isAPI(c) {
		_ = apiFail(c, status, "%s", strings.ToLower(http.StatusText(status)))
		return
	}
	l := g.current.Load()
	p := &Page{Page: pageError, Status: status, HomeURL: l.homeURL}
	if rerr := g.render(c, l, p); rerr != nil && !c.Response().Committed {
		g.log.Error("error page failed", "err", rerr)
		_ = c.String(status, http.StatusText(status))
	}
}
