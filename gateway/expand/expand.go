// Package expand follows a URL shortener's redirects to find where a short
// link really goes, safely: at most MaxHops redirects, HEAD first and a
// GET read to at most MaxBody bytes where HEAD gives no redirect, one time
// budget for the whole walk, only http and https on their default ports,
// no cookies, no credentials, a User-Agent of its own. Every Location is
// checked before it is followed (see NextHop), and a hop to a host that is
// not a shortener ends the walk: that host is the destination, and it is
// never fetched.
//
// In direct mode every connection's real address is checked after DNS, in
// the dialer's Control (DefaultControl), so that a shortener's name that
// resolves, or rebinds, to an internal address is never reached. In proxy
// mode every request goes through a forward proxy, which enforces the
// egress policy; NextHop still refuses IP addresses and internal names.
package expand

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"

	"code.dny.dev/ssrf"

	"github.com/blibli/safelink/gateway/weburl"
)

// Limits of an expansion.
const (
	// MaxHops is the most redirects followed from the clicked link.
	MaxHops = 5
	// MaxBody is the most bytes of a GET answer's body read.
	MaxBody = 64 << 10
	// DefaultTimeout is the time budget of a whole expansion when none is set.
	DefaultTimeout = 1500 * time.Millisecond
	// UserAgent names the gateway to the shorteners it asks.
	UserAgent = "safelink-expander/1.0 (link safety check)"
)

// maxHeaderBytes bounds the headers of an answer.
const maxHeaderBytes = 16 << 10

// Outcome says how an expansion ended. The values are stable: metrics name
// them.
type Outcome string

// The outcomes of an expansion.
const (
	Found       Outcome = "found"         // a hop reached a host that is not a shortener: the destination
	TooManyHops Outcome = "too-many-hops" // still on a shortener after MaxHops redirects
	Loop        Outcome = "loop"          // a redirect back to a link of the walk
	Refused     Outcome = "refused"       // a Location NextHop refuses
	Blocked     Outcome = "blocked"       // a connection's address was refused (internal, reserved …)
	NoRedirect  Outcome = "no-redirect"   // a shortener answered without a redirect
	Timeout     Outcome = "timeout"       // the time budget ran out
	Failed      Outcome = "failed"        // the network, TLS or proxy failed
)

// Outcomes lists every Outcome.
var Outcomes = []Outcome{Found, TooManyHops, Loop, Refused, Blocked, NoRedirect, Timeout, Failed}

// Expansion is what following a short link's redirects found.
type Expansion struct {
	// Chain holds the links followed, normalized, the clicked link first;
	// when the Outcome is Found, the last one is the destination.
	Chain   []string `json:"chain"`
	Outcome Outcome  `json:"outcome"`
	// Cached is true when the expansion was remembered from an earlier
	// click; Took is the time this click spent on it.
	Cached bool          `json:"-"`
	Took   time.Duration `json:"-"`
}

// Destination returns the destination found, if any.
func (e Expansion) Destination() (string, bool) {
	if e.Outcome != Found || len(e.Chain) < 2 {
		return "", false
	}
	return e.Chain[len(e.Chain)-1], true
}

// Hops counts the redirects followed.
func (e Expansion) Hops() int {
	return max(len(e.Chain)-1, 0)
}

// Options configure an Expander. The zero value is direct mode with the
// default budget, guard and cache.
type Options struct {
	// Timeout is the budget of one expansion, every hop together;
	// DefaultTimeout when zero.
	Timeout time.Duration
	// Proxy, when set, is the forward proxy every request goes through
	// (proxy mode); its own address is the operator's choice and is not
	// checked.
	Proxy *url.URL
	// Dial opens the connections of direct mode; nil dials with a
	// net.Dialer whose Control is DefaultControl. A test whose fake
	// shorteners listen on loopback gives its own, which maps their names
	// to their addresses and refuses every other address.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
	// Cache remembers expansions; nil keeps a MemoryCache of its own.
	Cache Cache
	// TTL is how long an expansion that found its destination is
	// remembered, FailureTTL one that did not; DefaultTTL and
	// DefaultFailureTTL when zero.
	TTL, FailureTTL time.Duration
}

// Expander follows short links. It is safe for concurrent use.
type Expander struct {
	client  *http.Client
	timeout time.Duration
	cache   *layered
}

// guard is the address policy of direct mode: public unicast addresses,
// TCP, ports 80 and 443.
var guard = ssrf.New()

// DefaultControl is the net.Dialer Control of direct mode: it refuses a
// connection to anything but a public unicast address on port 80 or 443,
// after DNS, so that no name reaches a loopback, private, link-local,
// shared (100.64.0.0/10), multicast, reserved or IPv4-mapped address.
func DefaultControl(network, address string, c syscall.RawConn) error {
	return guard.Safe(network, address, c)
}

// New returns an Expander configured by o.
func New(o Options) *Expander {
	dial := o.Dial
	if dial == nil {
		dial = (&net.Dialer{Timeout: DefaultTimeout, Control: DefaultControl}).DialContext
	}
	transport := &http.Transport{
		DialContext:            dial,
		TLSHandshakeTimeout:    DefaultTimeout,
		MaxResponseHeaderBytes: maxHeaderBytes,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    8,
		IdleConnTimeout:        30 * time.Second,
		DisableCompression:     true,
		ForceAttemptHTTP2:      true,
	}
	if o.Proxy != nil {
		// The proxy enforces the egress policy; the gateway only reaches
		// the proxy itself, wherever the operator runs it.
		transport.Proxy = http.ProxyURL(o.Proxy)
		transport.DialContext = (&net.Dialer{Timeout: DefaultTimeout}).DialContext
	}
	return &Expander{
		client: &http.Client{
			Transport: transport,
			// Every redirect is checked by NextHop and followed by walk.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		timeout: cmp.Or(o.Timeout, DefaultTimeout),
		cache:   newLayered(o.Cache, cmp.Or(o.TTL, DefaultTTL), cmp.Or(o.FailureTTL, DefaultFailureTTL)),
	}
}

// Expand follows link, a normalized http or https URL on a shortener host,
// while its redirects stay on hosts that shortener reports true for. An
// expansion remembered from an earlier click is returned at once, and
// clicks on one link at the same moment share one walk.
func (x *Expander) Expand(ctx context.Context, link string, shortener func(host string) bool) Expansion {
	start := time.Now()
	// The walk outlives a click that is given up: others may be waiting
	// for it, and its budget bounds it.
	walkCtx := context.WithoutCancel(ctx)
	e := x.cache.get(ctx, link, func() Expansion { return x.walk(walkCtx, link, shortener) })
	e.Took = time.Since(start)
	return e
}

// walk follows the redirects of link within the time budget.
func (x *Expander) walk(ctx context.Context, link string, shortener func(host string) bool) Expansion {
	ctx, cancel := context.WithTimeout(ctx, x.timeout)
	defer cancel()
	u, err := weburl.Parse(link)
	if err != nil {
		return Expansion{Chain: []string{link}, Outcome: Refused}
	}
	e := Expansion{Chain: []string{u.String()}}
	for hop := 0; ; hop++ {
		if hop == MaxHops {
			e.Outcome = TooManyHops
			return e
		}
		location, outcome := x.redirect(ctx, u)
		if outcome != "" {
			e.Outcome = outcome
			return e
		}
		next, err := NextHop(u, location)
		if err != nil {
			e.Outcome = Refused
			return e
		}
		target := next.String()
		for _, seen := range e.Chain {
			if seen == target {
				e.Outcome = Loop
				return e
			}
		}
		e.Chain = append(e.Chain, target)
		if !shortener(next.Host) {
			e.Outcome = Found
			return e
		}
		u = next
	}
}

// redirect asks u where it leads: HEAD, then GET when HEAD gives no
// redirect (many shorteners refuse HEAD with 405 or 501, some answer it
// 200). It returns the Location of a redirect, or the outcome that ends
// the walk.
func (x *Expander) redirect(ctx context.Context, u *weburl.URL) (string, Outcome) {
	location, outcome := x.ask(ctx, http.MethodHead, u)
	if outcome == NoRedirect {
		location, outcome = x.ask(ctx, http.MethodGet, u)
	}
	return location, outcome
}

// ask sends one request to u and reads at most MaxBody bytes of its body.
func (x *Expander) ask(ctx context.Context, method string, u *weburl.URL) (string, Outcome) {
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return "", Refused
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "text/html,*/*;q=0.8")
	resp, err := x.client.Do(req)
	if err != nil {
		return "", failure(ctx, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxBody))
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return resp.Header.Get("Location"), ""
	}
	return "", NoRedirect
}

// failure names why a request failed.
func failure(ctx context.Context, err error) Outcome {
	switch {
	case errors.Is(err, ssrf.ErrProhibitedIP), errors.Is(err, ssrf.ErrProhibitedPort), errors.Is(err, ssrf.ErrProhibitedNetwork):
		return Blocked
	case ctx.Err() != nil:
		return Timeout
	}
	return Failed
}
