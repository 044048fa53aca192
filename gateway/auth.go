package gateway

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/bearer"
	"github.com/blibli/safelink/gateway/ratelimit"
)

// callerKey is where requireBearer leaves the caller's name in the echo
// context.
const callerKey = "safelink.caller"

// authLogInterval is the least time between two log lines of failed
// authentications: a flood of bad tokens is counted in the next line
// rather than filling the log.
const authLogInterval = 10 * time.Second

// protectedAPI is an API behind named bearer tokens.
type protectedAPI struct {
	name    string // "api" (rewrite) or "admin": its label in limits, metrics and logs
	tokens  bearer.Tokens
	setting string            // the setting that lists its tokens
	limit   ratelimit.Limiter // of each token's calls
}

// requireBearer admits a request with one of api's tokens, within the
// limit of that token's calls, and leaves the token's name for callerOf.
// It authenticates before it limits: a request without a known token
// counts against its client's failures (refuseCaller), never against a
// token. No tokens turn the API off.
func (g *Gateway) requireBearer(api protectedAPI, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if api.tokens.Len() == 0 {
			return apiFail(c, http.StatusServiceUnavailable, "this API is off: set %s", api.setting)
		}
		presented, problem := bearerToken(c.Request().Header)
		caller := ""
		if problem == "" {
			var known bool
			if caller, known = api.tokens.Authenticate(presented); !known {
				problem = "unknown token"
			}
		}
		if problem != "" {
			return g.refuseCaller(c, api.name, presented, problem)
		}
		if ok, err := g.limit(c, api.name, caller, api.limit, tooManyCalls(c)); !ok {
			return err
		}
		c.Set(callerKey, caller)
		g.metrics.apiCalls.WithLabelValues(api.name, caller).Inc()
		return next(c)
	}
}

// bearerToken returns the token of a request's Authorization header or,
// when it has none, what is wrong with the header.
func bearerToken(h http.Header) (token, problem string) {
	values := h.Values("Authorization")
	if len(values) == 0 {
		return "", "no Authorization header"
	}
	token, isBearer := strings.CutPrefix(values[0], "Bearer ")
	switch {
	case !isBearer:
		return "", "not a bearer token"
	case token == "":
		return "", "empty bearer token"
	}
	return token, ""
}

// refuseCaller answers a request without a known token: 401, or 429 past
// the limit of its client's failures (countAuthFailure).
func (g *Gateway) refuseCaller(c echo.Context, api, presented, problem string) error {
	if ok, err := g.countAuthFailure(c, api, presented, problem, tooManyCalls(c)); !ok {
		return err
	}
	c.Response().Header().Set("WWW-Authenticate", `Bearer realm="safelink `+api+`"`)
	return apiFail(c, http.StatusUnauthorized, "missing or unknown bearer token")
}

// countAuthFailure counts a request without a known token against its
// client's failures, a limit apart from every token's so that a flood of
// bad tokens never holds up a caller with a good one; past it, it answers
// with tooMany and returns false. The failure is logged, at most one line
// an authLogInterval, with the client and the fingerprint of the token
// presented, never the token.
func (g *Gateway) countAuthFailure(c echo.Context, api, presented, problem string, tooMany func(time.Duration) error) (bool, error) {
	client := c.RealIP()
	if ok, err := g.limit(c, "auth", clientKey(client), g.cfg.Shared.AuthFailureLimit, tooMany); !ok {
		return false, err
	}
	g.metrics.authFailures.WithLabelValues(api).Inc()
	if ok, leftOut := g.authLog.Allow(time.Now()); ok {
		attrs := []any{"api", api, "client", client, "problem", problem, "left_out", leftOut}
		if presented != "" {
			attrs = append(attrs, "token_sha256", bearer.Fingerprint(presented))
		}
		g.log.Warn("API authentication failed", attrs...)
	}
	return true, nil
}

// tooManyCalls answers an API call past a limit.
func tooManyCalls(c echo.Context) func(retryAfter time.Duration) error {
	return func(retryAfter time.Duration) error {
		return apiFail(c, http.StatusTooManyRequests, "too many requests; retry in %v", retryAfter)
	}
}

// callerOf is the name of the token requireBearer admitted the request
// with.
func callerOf(c echo.Context) string {
	name, _ := c.Get(callerKey).(string)
	return name
}
