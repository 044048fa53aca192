package gateway

import (
	"fmt"
	"time"

	"github.com/labstack/echo/v4"
)

// contentSecurityPolicy allows the page's own CSS and images and nothing
// else: no script at all, no framing, forms only to the gateway.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders returns the headers sent on every response.
func securityHeaders(hstsMaxAge time.Duration) map[string]string {
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
	return h
}

// setHeaders adds the security headers before the handler runs, so that
// error pages carry them too.
func (g *Gateway) setHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		for k, v := range g.headers {
			h[k] = []string{v}
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
