package gateway

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"
)

// The console's session and forms.
const (
	// consoleCookie holds the signed session of a person signed in with an
	// admin token.
	consoleCookie = "safelink_console"
	// ConsoleSessionTTL is how long a console session lasts.
	ConsoleSessionTTL = 8 * time.Hour
	// The purposes of the console's signed tokens.
	purposeConsoleSession = "console-session"
	purposeConsoleForm    = "console-form"
	purposeConsoleSignIn  = "console-signin"
	// consoleIdentityKey is where requireConsole leaves the identity.
	consoleIdentityKey = "safelink.console"
	// maxEmailLength bounds the email an authenticating proxy names.
	maxEmailLength = 100
)

// The headers in which an authenticating proxy names the person signed in:
// oauth2-proxy's, in the order they are read.
var proxyEmailHeaders = []string{"X-Auth-Request-Email", "X-Forwarded-Email"}

// consoleIdentity is who a console request comes from.
type consoleIdentity struct {
	// Person is the author of the changes: the email the proxy named, or
	// the admin token's name.
	Person string
	// binding is what the request's form tokens are bound to: the
	// session, or the proxy's person; empty for a bearer token, whose
	// requests no other site can make.
	binding string
}

// requireConsole admits a console request from a trusted proxy's person, a
// signed-in session, or a bearer admin token; any other GET goes to the
// sign-in page.
func (g *Gateway) requireConsole(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, answered, err := g.consoleIdentity(c)
		switch {
		case answered:
			return err
		case id.Person == "" && c.Request().Method == http.MethodGet:
			return c.Redirect(http.StatusSeeOther, "/console/signin")
		case id.Person == "":
			return g.consoleRefused(c, http.StatusUnauthorized, "problem.signin")
		}
		c.Set(consoleIdentityKey, id)
		return next(c)
	}
}

// consoleIdentity finds who a request comes from; an empty identity when
// nobody is signed in. It answers, and says so, a request it refuses: a
// proxy's header from an untrusted address, a bad email, a bearer token
// that is not known, counted against its client's failures, and a known
// one past the limit of its calls.
func (g *Gateway) consoleIdentity(c echo.Context) (id consoleIdentity, answered bool, err error) {
	r := c.Request()
	if email, named := proxyEmail(r.Header); named {
		if !g.trustedProxy(r.RemoteAddr) {
			g.log.Warn("console request refused", "client", c.RealIP(), "problem", "a proxy's email header from an address that is not a trusted proxy")
			return consoleIdentity{}, true, g.consoleRefused(c, http.StatusForbidden, "problem.proxy")
		}
		if !validEmail(email) {
			return consoleIdentity{}, true, g.consoleRefused(c, http.StatusBadRequest, "problem.email")
		}
		return consoleIdentity{Person: email, binding: "proxy " + email}, false, nil
	}
	if len(r.Header.Values("Authorization")) > 0 {
		presented, problem := bearerToken(r.Header)
		if problem == "" {
			if name, ok := g.cfg.AdminTokens.Authenticate(presented); ok {
				// A script's calls count against its token's limit, the
				// one the admin API counts them against.
				if ok, err := g.limit(c, "admin", name, g.cfg.Shared.AdminLimit, g.consoleTooMany(c)); !ok {
					return consoleIdentity{}, true, err
				}
				return consoleIdentity{Person: name}, false, nil
			}
			problem = "unknown token"
		}
		if ok, err := g.countAuthFailure(c, "console", presented, problem, g.consoleTooMany(c)); !ok {
			return consoleIdentity{}, true, err
		}
		return consoleIdentity{}, true, g.consoleRefused(c, http.StatusUnauthorized, "problem.token")
	}
	if cookie, err := r.Cookie(consoleCookie); err == nil {
		if name, session, ok := g.consoleSession(cookie.Value, time.Now()); ok {
			return consoleIdentity{Person: name, binding: "session " + session}, false, nil
		}
	}
	return consoleIdentity{}, false, nil
}

// proxyEmail returns the email of the first of proxyEmailHeaders a request
// carries.
func proxyEmail(h http.Header) (string, bool) {
	for _, name := range proxyEmailHeaders {
		if values := h.Values(name); len(values) > 0 {
			return values[0], true
		}
	}
	return "", false
}

// trustedProxy reports whether the peer address is one of the console's
// trusted proxies. The peer, not the client address a proxy reports: the
// header is only as good as the connection it came on.
func (g *Gateway) trustedProxy(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	return slices.ContainsFunc(g.cfg.Console.TrustedProxies, func(p netip.Prefix) bool { return p.Contains(addr) })
}

// validEmail accepts a plausible email to name a person in the audit log:
// something@something, printable, without spaces, of a bounded length.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || len(s) > maxEmailLength {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) || r == ' ' || r == '<' || r == '>' || r == '"' {
			return false
		}
	}
	return true
}

// newSession makes the payload of a session cookie for the admin token
// name: the name and a random session number.
func newSession(name string) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	return name + " " + hex.EncodeToString(b)
}

// parseSession reads a session payload: the token's name and the session
// number, both non-empty and without spaces.
func parseSession(payload string) (name, session string, ok bool) {
	name, session, ok = strings.Cut(payload, " ")
	if !ok || name == "" || len(session) != 32 || strings.Contains(session, " ") {
		return "", "", false
	}
	if _, err := hex.DecodeString(session); err != nil {
		return "", "", false
	}
	return name, session, true
}

// consoleSession checks a session cookie at now: signed, unexpired, and
// naming a token that is still an admin token.
func (g *Gateway) consoleSession(cookie string, now time.Time) (name, session string, ok bool) {
	payload, err := g.tokens.Verify(purposeConsoleSession, cookie, now)
	if err != nil {
		return "", "", false
	}
	name, session, ok = parseSession(payload)
	if !ok || !slices.Contains(g.cfg.AdminTokens.Names(), name) {
		return "", "", false
	}
	return name, session, true
}

// consoleFormToken is the form token of id's pages at now.
func (g *Gateway) consoleFormToken(id consoleIdentity, now time.Time) string {
	if id.binding == "" {
		return ""
	}
	return g.tokens.Sign(purposeConsoleForm, id.binding, expiry(now, ConsoleSessionTTL))
}

// requireConsoleForm refuses a state-changing console form posted from
// another site or without the form token of the person's session. Bearer
// requests, which no browser sends on its own, need neither.
func (g *Gateway) requireConsoleForm(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, _ := c.Get(consoleIdentityKey).(consoleIdentity)
		if id.binding == "" {
			return next(c)
		}
		if !sameOrigin(c.Request()) {
			g.metrics.tokenFailures.WithLabelValues(purposeConsoleForm).Inc()
			return g.consoleRefused(c, http.StatusForbidden, "problem.crosssite")
		}
		bound, err := g.tokens.Verify(purposeConsoleForm, postedValue(c, "csrf"), time.Now())
		if err != nil || bound != id.binding {
			g.metrics.tokenFailures.WithLabelValues(purposeConsoleForm).Inc()
			return g.consoleRefused(c, http.StatusForbidden, "problem.csrf")
		}
		return next(c)
	}
}

// consoleRefused answers a console request that cannot be served with a
// page saying why.
func (g *Gateway) consoleRefused(c echo.Context, status int, problem string) error {
	return g.renderConsole(c, &consolePage{View: "signin", Status: status, Problem: problem,
		Data: g.tokens.Sign(purposeConsoleSignIn, "", expiry(time.Now(), ConsoleSessionTTL))})
}

// consoleTooMany answers a sign-in past the limit of its client's failures.
func (g *Gateway) consoleTooMany(c echo.Context) func(time.Duration) error {
	return func(time.Duration) error {
		return g.consoleRefused(c, http.StatusTooManyRequests, "problem.toomany")
	}
}

func (g *Gateway) handleSignInPage(c echo.Context) error {
	return g.consoleRefused(c, http.StatusOK, "")
}

// handleSignIn takes an admin token from the sign-in form and, when it is
// one, sets the session cookie. Failures count against the client's
// failures like those of the APIs.
func (g *Gateway) handleSignIn(c echo.Context) error {
	if !sameOrigin(c.Request()) {
		g.metrics.tokenFailures.WithLabelValues(purposeConsoleSignIn).Inc()
		return g.consoleRefused(c, http.StatusForbidden, "problem.crosssite")
	}
	if _, err := g.tokens.Verify(purposeConsoleSignIn, postedValue(c, "csrf"), time.Now()); err != nil {
		g.metrics.tokenFailures.WithLabelValues(purposeConsoleSignIn).Inc()
		return g.consoleRefused(c, http.StatusForbidden, "problem.csrf")
	}
	presented := postedValue(c, "token")
	name, ok := g.cfg.AdminTokens.Authenticate(presented)
	if !ok {
		if ok, err := g.countAuthFailure(c, "console", presented, "unknown token", g.consoleTooMany(c)); !ok {
			return err
		}
		return g.consoleRefused(c, http.StatusUnauthorized, "problem.token")
	}
	now := time.Now()
	c.SetCookie(&http.Cookie{Name: consoleCookie, Value: g.tokens.Sign(purposeConsoleSession, newSession(name), now.Add(ConsoleSessionTTL)),
		Path: "/console/", MaxAge: int(ConsoleSessionTTL / time.Second), Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	g.log.Info("console sign-in", "person", name, "client", c.RealIP())
	return c.Redirect(http.StatusSeeOther, "/console/rules")
}

// handleSignOut clears the session cookie.
func (g *Gateway) handleSignOut(c echo.Context) error {
	c.SetCookie(&http.Cookie{Name: consoleCookie, Value: "", Path: "/console/", MaxAge: -1,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	return c.Redirect(http.StatusSeeOther, "/console/signin")
}
