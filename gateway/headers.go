package gateway

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// contentSecurityPolicy allows the page's own CSS and images and nothing
// else: no script at all, no framing, forms only to the gateway.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// header is one header sent on every response, its value ready to assign.
type header struct {
	key   string // canonical
	value []string
}

// securityHeaders returns the headers sent on every response.
func securityHeaders(hstsMaxAge time.Duration) []header {
	h := map[string]string{
		"Content-Security-Policy":      contentSecurityPolicy,
		"Referrer-Policy":              "no-referrer",
		"Cache-Control":                "no-store",
		"X-Content-Type-Options":       "nosniff",
		"X-Frame-Options":              "DENY",
		"X-Robots-Tag":                 "noindex, nofollow",
		"Cross-Origin-Opener-Policy":   "same-origin",
		"Cross-Origin-Resource-Policy": "same-origin",
		"Permissions-Policy":           "camera=(), microphone=(), geolocation=(), payment=()",
	}
	if hstsMaxAge > 0 {
		h["Strict-Transport-Security"] = fmt.Sprintf("max-age=%d; includeSubDomains", int64(hstsMaxAge/time.Second))
	}
	headers := make([]header, 0, len(h))
	for k, v := range h {
		// A one-element slice of capacity one: a handler that adds a value
		// gets a new array, never a change to the shared one.
		headers = append(headers, header{key: http.CanonicalHeaderKey(k), value: []string{v}[:1:1]})
	}
	return headers
}

// setHeaders adds the security headers before the handler runs, so that
// error pages carry them too.
func (g *Gateway) setHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		for _, hd := range g.headers {
			h[hd.key] = hd.value
		}
		return next(c)
	}
}

// logRequests logs each request at debug level without its query string,
// which holds the user's link.
func (g *Gateway) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		g.log.Debug("request",
			"method", c.Request().Method,
			"route", c.Path(),
			"status", c.Response().Status,
			"bytes", c.Response().Size,
			"duration", time.Since(start))
		return nil
	}
}
