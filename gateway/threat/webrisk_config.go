package threat

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"

	"github.com/blibli/safelink/gateway/verdict"
)

// DefaultWebRiskEndpoint is Google's Web Risk service, over TLS.
const DefaultWebRiskEndpoint = "webrisk.googleapis.com:443"

// Bounds of the time between two updates of a Web Risk list: the server's
// recommendation is followed within them.
const (
	MinWebRiskUpdate       = time.Second
	DefaultWebRiskPeriod   = 15 * time.Minute
	DefaultWebRiskDeadline = 30 * time.Second
)

// WebRiskConfig configures a WebRisk checker.
type WebRiskConfig struct {
	// APIKey is the Web Risk API key. Empty means Application Default
	// Credentials (a service account), which need a TLS endpoint.
	APIKey string

	// Endpoint is where the service listens: host:port over TLS, or
	// http://host:port for plaintext gRPC (tests, a local proxy). Empty
	// means DefaultWebRiskEndpoint.
	Endpoint string

	// AllowPlaintext lets a plaintext endpoint be another host than this
	// one (loopback); without it such an endpoint is refused, since the key
	// and every prefix asked about would cross the network in the clear.
	AllowPlaintext bool

	// Lists are the threat lists to keep. Empty means DefaultWebRiskLists.
	Lists []verdict.Threat

	// DBPath is a file that keeps the lists across restarts. Empty means
	// the lists live in memory only.
	DBPath string

	// UpdatePeriod is the longest time between two updates of a list: the
	// server's recommendation is followed when it is sooner, never sooner
	// than MinWebRiskUpdate. It must be shorter than MaxAge. Zero means
	// DefaultWebRiskPeriod.
	UpdatePeriod time.Duration

	// MaxAge is the age past which a list must not be used to warn
	// anyone; lookups then fail with ErrStale. Zero means MaxListAge, also
	// its upper bound.
	MaxAge time.Duration

	// RequestTimeout bounds each update request. Zero means
	// DefaultWebRiskDeadline.
	RequestTimeout time.Duration

	// CacheSize and CacheTTL bound the cache of recent answers, as for
	// Safe Browsing (see Config).
	CacheSize int
	CacheTTL  time.Duration

	// Logger receives the checker's log. Nil means no log.
	Logger *slog.Logger
}

// DefaultWebRiskLists are the lists a WebRisk checker keeps when its
// config names none. The extended coverage list catches more phishing with
// more false positives; it is kept only when asked for.
var DefaultWebRiskLists = []verdict.Threat{verdict.ThreatMalware, verdict.ThreatSocialEngineering, verdict.ThreatUnwantedSoftware}

// webRiskTypes maps each threat the Web Risk service lists to its list.
var webRiskTypes = map[verdict.Threat]webriskpb.ThreatType{
	verdict.ThreatMalware:                   webriskpb.ThreatType_MALWARE,
	verdict.ThreatSocialEngineering:         webriskpb.ThreatType_SOCIAL_ENGINEERING,
	verdict.ThreatUnwantedSoftware:          webriskpb.ThreatType_UNWANTED_SOFTWARE,
	verdict.ThreatSocialEngineeringExtended: webriskpb.ThreatType_SOCIAL_ENGINEERING_EXTENDED_COVERAGE,
}

// webRiskEndpoint is where to dial, and whether over plaintext.
type webRiskEndpoint struct {
	address   string // host:port
	plaintext bool
}

// endpoint parses c.Endpoint.
func (c *WebRiskConfig) endpoint() (webRiskEndpoint, error) {
	raw := c.Endpoint
	if raw == "" {
		raw = DefaultWebRiskEndpoint
	}
	if rest, ok := strings.CutPrefix(raw, "http://"); ok {
		u, err := url.Parse(raw)
		if err != nil || u.Host != rest || u.Port() == "" {
			return webRiskEndpoint{}, fmt.Errorf("threat: Web Risk endpoint %q: a plaintext endpoint is http://HOST:PORT", raw)
		}
		if !c.AllowPlaintext && !loopback(u.Hostname()) {
			return webRiskEndpoint{}, fmt.Errorf("threat: Web Risk endpoint %q is plaintext to another host; allow it explicitly or use TLS", raw)
		}
		return webRiskEndpoint{address: u.Host, plaintext: true}, nil
	}
	host, port, err := net.SplitHostPort(raw)
	if err != nil || host == "" || port == "" || strings.Contains(raw, "/") {
		return webRiskEndpoint{}, fmt.Errorf("threat: Web Risk endpoint %q is neither HOST:PORT (TLS) nor http://HOST:PORT", raw)
	}
	return webRiskEndpoint{address: raw}, nil
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// withDefaults returns c with its zero fields set to their defaults and
// its endpoint parsed, or an error naming the first invalid field.
func (c WebRiskConfig) withDefaults() (WebRiskConfig, webRiskEndpoint, error) {
	ep, err := c.endpoint()
	if err != nil {
		return c, ep, err
	}
	if c.APIKey == "" && ep.plaintext {
		return c, ep, errors.New("threat: Web Risk over plaintext needs an API key: Application Default Credentials go over TLS only")
	}
	if c.MaxAge, c.UpdatePeriod, err = freshness(c.MaxAge, c.UpdatePeriod, DefaultWebRiskPeriod, MinWebRiskUpdate); err != nil {
		return c, ep, err
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = DefaultWebRiskDeadline
	}
	if c.RequestTimeout < 0 {
		return c, ep, fmt.Errorf("threat: request timeout %v is negative", c.RequestTimeout)
	}
	if c.CacheSize == 0 {
		c.CacheSize = DefaultCacheSize
	}
	if c.CacheTTL == 0 {
		c.CacheTTL = DefaultCacheTTL
	}
	if len(c.Lists) == 0 {
		c.Lists = DefaultWebRiskLists
	}
	c.Lists = slices.Clone(c.Lists)
	for i, t := range c.Lists {
		if _, ok := webRiskTypes[t]; !ok {
			return c, ep, fmt.Errorf("threat: Web Risk has no list of threat type %q (it has: %s)", t, verdict.FormatThreats(webRiskThreats()))
		}
		if slices.Contains(c.Lists[:i], t) {
			return c, ep, fmt.Errorf("threat: threat type %q is listed twice in the lists", t)
		}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, ep, nil
}

// webRiskThreats lists the threats Web Risk has lists of, in the order of
// verdict.Threats.
func webRiskThreats() []verdict.Threat {
	var out []verdict.Threat
	for _, t := range verdict.Threats {
		if _, ok := webRiskTypes[t]; ok {
			out = append(out, t)
		}
	}
	return out
}
