package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/adminapi"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/gateway/verdict"
)

// AdminStoreTimeout bounds each call of the admin API to the shared state:
// with Redis down, the security team gets an error in seconds rather than
// a request that hangs until the server's write timeout.
const AdminStoreTimeout = 3 * time.Second

// storeContext is the request's context with AdminStoreTimeout.
func storeContext(c echo.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request().Context(), AdminStoreTimeout)
}

// maxAdminBody bounds the JSON body of an admin request.
const maxAdminBody = 64 << 10

// isAPI reports whether a request is for a JSON API, whose errors are
// JSON too.
func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasPrefix(p, "/admin/") || strings.HasPrefix(p, "/api/")
}

// apiFail answers a JSON API request with status and the message in an
// adminapi.ErrorBody, the error body of every API.
func apiFail(c echo.Context, status int, format string, args ...any) error {
	return c.JSON(status, adminapi.ErrorBody{Error: fmt.Sprintf(format, args...)})
}

func (g *Gateway) addAdmin(e *echo.Echo) {
	a := e.Group("/admin/v1", g.requireAdmin)
	a.GET("/rules", g.handleListRules)
	a.POST("/rules", g.handleAddRule)
	a.DELETE("/rules/:id", g.handleRemoveRule)
	a.GET("/audit", g.handleAudit)
	a.GET("/stats", g.handleStats)
	if g.cfg.Profiling {
		// The Go profiler, for finding what costs under real load.
		e.GET("/debug/pprof/*", echo.WrapHandler(http.HandlerFunc(pprofHandler)), g.requireAdmin)
	}
}

// pprofHandler serves the profiles of net/http/pprof.
func pprofHandler(w http.ResponseWriter, r *http.Request) {
	switch strings.TrimPrefix(r.URL.Path, "/debug/pprof/") {
	case "profile":
		pprof.Profile(w, r)
	case "trace":
		pprof.Trace(w, r)
	case "symbol":
		pprof.Symbol(w, r)
	case "cmdline":
		http.NotFound(w, r) // the command line may hold secrets
	default:
		pprof.Index(w, r)
	}
}

// requireAdmin admits a request with one of the admin tokens, within the
// admin API's limit of each token's calls.
func (g *Gateway) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return g.requireBearer(protectedAPI{name: "admin", tokens: g.cfg.AdminTokens,
		setting: "SAFELINK_ADMIN_TOKENS", limit: g.cfg.Shared.AdminLimit}, next)
}

// ruleStore returns the rule store, or answers 503 when there is none.
func (g *Gateway) ruleStore(c echo.Context) (rules.Store, error) {
	if g.cfg.Shared.Rules == nil {
		return nil, apiFail(c, http.StatusServiceUnavailable, "no rule store is configured")
	}
	return g.cfg.Shared.Rules, nil
}

// storeFailed answers a failed call to the shared state.
func (g *Gateway) storeFailed(c echo.Context, part string, err error) error {
	g.metrics.redisErrors.WithLabelValues(part).Inc()
	g.log.Error("shared state call failed", "part", part, "err", err)
	return apiFail(c, http.StatusServiceUnavailable, "the %s store is unavailable; try again", part)
}

func (g *Gateway) handleListRules(c echo.Context) error {
	store, err := g.ruleStore(c)
	if store == nil {
		return err
	}
	ctx, cancel := storeContext(c)
	defer cancel()
	snap, err := store.List(ctx)
	if err != nil {
		return g.storeFailed(c, "rules", err)
	}
	list := snap.Rules
	if list == nil {
		list = []rules.Rule{}
	}
	return c.JSON(http.StatusOK, adminapi.RuleList{Rules: list, Revision: snap.Revision})
}

func (g *Gateway) handleAddRule(c echo.Context) error {
	store, err := g.ruleStore(c)
	if store == nil {
		return err
	}
	var req adminapi.RuleRequest
	if err := decodeJSONBody(c, &req, maxAdminBody); err != nil {
		return bodyFailed(c, err)
	}
	if req.ID != "" || !req.CreatedAt.IsZero() || req.Author != "" {
		return apiFail(c, http.StatusBadRequest, "id, created_at and author are set by the gateway")
	}
	if req.Action == verdict.RuleReported {
		return apiFail(c, http.StatusBadRequest, "action reported is added by users' reports only; add a warn or block rule to decide")
	}
	req.Author = callerOf(c)
	if req.ExpiresIn != "" {
		if !req.ExpiresAt.IsZero() {
			return apiFail(c, http.StatusBadRequest, "give expires_at or expires_in, not both")
		}
		d, err := rules.ParseExpiresIn(req.ExpiresIn)
		if err != nil {
			return apiFail(c, http.StatusBadRequest, "expires_in: %v", err)
		}
		req.ExpiresAt = rules.ExpiresAfter(time.Now(), d)
	}
	ctx, cancel := storeContext(c)
	defer cancel()
	added, err := g.addRule(ctx, store, req.Rule)
	var fieldErr *rules.FieldError
	switch {
	case errors.As(err, &fieldErr):
		return apiFail(c, http.StatusBadRequest, "%v", err)
	case err != nil:
		return g.storeFailed(c, "rules", err)
	}
	return c.JSON(http.StatusCreated, added)
}

func (g *Gateway) handleRemoveRule(c echo.Context) error {
	store, err := g.ruleStore(c)
	if store == nil {
		return err
	}
	r := adminapi.Removal{By: c.QueryParam("by"), Why: c.QueryParam("why")}
	if c.Request().ContentLength != 0 {
		if err := decodeJSONBody(c, &r, maxAdminBody); err != nil {
			return bodyFailed(c, err)
		}
	}
	removal, err := rules.Removal{Author: callerOf(c), Note: r.By, Why: r.Why}.Check()
	if err != nil {
		return apiFail(c, http.StatusBadRequest, "%v", err)
	}
	ctx, cancel := storeContext(c)
	defer cancel()
	removed, err := g.removeRule(ctx, store, c.Param("id"), removal)
	switch {
	case errors.Is(err, rules.ErrNotFound):
		return apiFail(c, http.StatusNotFound, "no rule %q", c.Param("id"))
	case err != nil:
		var fieldErr *rules.FieldError
		if errors.As(err, &fieldErr) {
			return apiFail(c, http.StatusBadRequest, "%v", err)
		}
		return g.storeFailed(c, "rules", err)
	}
	return c.JSON(http.StatusOK, removed)
}

func (g *Gateway) handleAudit(c echo.Context) error {
	store, err := g.ruleStore(c)
	if store == nil {
		return err
	}
	limit, err := intParam(c, "limit", 100, 1, 10000)
	if err != nil {
		return apiFail(c, http.StatusBadRequest, "%v", err)
	}
	ctx, cancel := storeContext(c)
	defer cancel()
	changes, err := store.Audit(ctx, limit)
	if err != nil {
		return g.storeFailed(c, "rules", err)
	}
	if changes == nil {
		changes = []rules.Change{}
	}
	return c.JSON(http.StatusOK, adminapi.AuditLog{Changes: changes})
}

func (g *Gateway) handleStats(c echo.Context) error {
	minutes := g.cfg.Shared.Minutes
	if minutes == nil {
		return apiFail(c, http.StatusServiceUnavailable, "no per-minute count store is configured")
	}
	since := 24 * time.Hour
	if s := c.QueryParam("since"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return apiFail(c, http.StatusBadRequest, "since: %q is not a positive duration such as 24h", s)
		}
		since = d
	}
	top, err := intParam(c, "top", 10, 1, 1000)
	if err != nil {
		return apiFail(c, http.StatusBadRequest, "%v", err)
	}
	ctx, cancel := storeContext(c)
	defer cancel()
	now := time.Now()
	from := now.Add(-since)
	read, err := series.Total(ctx, minutes, from, now)
	if err != nil {
		return g.storeFailed(c, "stats", err)
	}
	stats := adminapi.Stats{Summary: series.Summarize(read, from, top), RecentReports: []events.Event{}}
	if reader := g.cfg.Shared.EventReader; reader != nil {
		reports, err := reader.Recent(ctx, events.KindReport, from, top)
		if err != nil {
			return g.storeFailed(c, "events", err)
		}
		stats.RecentReports = append(stats.RecentReports, reports...)
	}
	return c.JSON(http.StatusOK, stats)
}

// errNotJSON refuses a body that is not declared as JSON.
var errNotJSON = errors.New("the body must be JSON (Content-Type: application/json)")

// bodyFailed answers a request whose body decodeJSONBody refused, with the
// status that names the problem.
func bodyFailed(c echo.Context, err error) error {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return apiFail(c, http.StatusRequestEntityTooLarge, "%v", err)
	case errors.Is(err, errNotJSON):
		return apiFail(c, http.StatusUnsupportedMediaType, "%v", err)
	}
	return apiFail(c, http.StatusBadRequest, "%v", err)
}

// decodeJSONBody reads a JSON body of at most limit bytes into v (see
// readJSONBody and decodeJSON).
func decodeJSONBody(c echo.Context, v any, limit int64) error {
	data, err := readJSONBody(c, limit)
	if err != nil {
		return err
	}
	return decodeJSON(data, v)
}

// readJSONBody reads a body declared as JSON, of at most limit bytes. A
// body over the limit gives an error wrapping *http.MaxBytesError.
func readJSONBody(c echo.Context, limit int64) ([]byte, error) {
	r := c.Request()
	if ct := r.Header.Get(echo.HeaderContentType); !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		return nil, fmt.Errorf("%w, not %q", errNotJSON, ct)
	}
	var body bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= limit {
		body.Grow(int(n) + bytes.MinRead) // one read to the end, without growing
	}
	if _, err := body.ReadFrom(http.MaxBytesReader(c.Response(), r.Body, limit)); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return nil, fmt.Errorf("the body is larger than %d bytes: %w", limit, err)
		}
		return nil, fmt.Errorf("reading the body: %v", err)
	}
	return body.Bytes(), nil
}

// decodeJSON decodes data, one JSON value, into v, refusing unknown fields
// and trailing data.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad JSON body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("bad JSON body: more than one JSON value")
	}
	return nil
}

// intParam reads an integer query parameter within [lo, hi].
func intParam(c echo.Context, name string, def, lo, hi int) (int, error) {
	s := c.QueryParam(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s: %q is not a number from %d to %d", name, s, lo, hi)
	}
	return n, nil
}
