package gateway

import (
	"fmt"
	"net/http"
	"time"

	"github.com/blibli/safelink/gateway/weburl"
)

// contentSecurityPolicy allows the page's own CSS and images and nothing
// else: no script at all, no framing, forms only to the gateway.
// Its form-action comes last, so that continuePolicy can extend it.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; " +
	"frame-ancestors 'none'; form-action 'self'"

// continuePolicy is the policy of a warning page: its "continue" form posts
// to the gateway, which answers with a redirect to the destination, and
// browsers hold that redirect to form-action too, so the destination's
// origin (scheme, normalized ASCII host and port) is allowed as well. A CSP
// source cannot name an IPv6 address, so for one only its scheme is allowed.
func continuePolicy(target *weburl.URL) string {
	source := target.Origin()
	if target.IP.Is6() {
		source = target.Scheme + ":"
	}
	return contentSecurityPolicy + " " + source
}

// header is one header sent on every response, its value ready to assign.
type header struct {
	key   string // canonical
	value []string
}

// SecurityHeaders returns the headers the gateway sends on every response,
// redirects included; hstsMaxAge > 0 adds Strict-Transport-Security.
func SecurityHeaders(hstsMaxAge time.Duration) http.Header {
	h := http.Header{
		"Content-Security-Policy": {contentSecurityPolicy},
		"Referrer-Policy":         {"no-referrer"},
		"Cache-Control":           {"no-store"},
		"X-Content-Type-Options":  {"nosniff"},
		"X-Frame-Options":         {"DENY"},
		"X-Robots-Tag":            {"noindex, nofollow"},
	}
	if hstsMaxAge > 0 {
		h.Set("Strict-Transport-Security", fmt.Sprintf("max-age=%d; includeSubDomains", int64(hstsMaxAge/time.Second)))
	}
	return h
}

// securityHeaders returns SecurityHeaders ready to assign, each value of
// capacity one like those of headers.
func securityHeaders(hstsMaxAge time.Duration) []header {
	var out []header
	for key, values := range SecurityHeaders(hstsMaxAge) {
		out = append(out, header{key: key, value: values[:1:1]})
	}
	return out
}

// pageHeaders are sent with every HTML page besides the security headers:
// they isolate the page's window and turn off device features it never
// uses. A redirect has no window to protect, so it goes without them.
var pageHeaders = headers(
	"Cross-Origin-Opener-Policy", "same-origin",
	"Cross-Origin-Resource-Policy", "same-origin",
	"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()",
)

// headers pairs up keys and values. Each value is a one-element slice of
// capacity one: a handler that adds a value gets a new array, never a
// change to the shared one.
func headers(kv ...string) []header {
	out := make([]header, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, header{key: http.CanonicalHeaderKey(kv[i]), value: []string{kv[i+1]}[:1:1]})
	}
	return out
}

// setAll assigns hs to h.
func setAll(h http.Header, hs []header) {
	for _, hd := range hs {
		h[hd.key] = hd.value
	}
}
