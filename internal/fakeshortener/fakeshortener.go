// Package fakeshortener runs fake URL shorteners on loopback for the tests
// of link expansion: each path answers as its Route says, and every request
// is recorded, so that a test can tell which server was reached and how.
// A Network gives the shorteners public-looking names (bit.ly, s.id …)
// without DNS, and a Proxy stands in for the internet behind a forward
// proxy.
package fakeshortener

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/expand"
)

// Route is how a fake answers one path.
type Route struct {
	// Location, when set, is sent in a redirect (Status, 301 by default).
	Location string
	// Status is the answer's status; 301 with a Location, 200 without.
	Status int
	// RefuseHead answers HEAD with 405, as many shorteners do.
	RefuseHead bool
	// Delay is waited before answering.
	Delay time.Duration
	// Body is how many bytes of body a GET answer carries.
	Body int
}

// Request is what a fake received.
type Request struct {
	Method        string
	Host          string
	Path          string
	UserAgent     string
	Cookie        string
	Authorization string
	Referer       string
}

// Server is one fake shortener.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	routes   map[string]Route
	requests []Request
	cut      int // GET bodies the client stopped reading
}

// New starts a fake shortener on loopback, closed when t ends.
func New(t testing.TB) *Server {
	s := &Server{routes: map[string]Route{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Handle sets the answer of path (such as "/abc").
func (s *Server) Handle(path string, r Route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[path] = r
}

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// BodiesCut counts the GET bodies the client stopped reading before their
// end.
func (s *Server) BodiesCut() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cut
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method: r.Method, Host: r.Host, Path: r.URL.Path, UserAgent: r.UserAgent(),
		Cookie: r.Header.Get("Cookie"), Authorization: r.Header.Get("Authorization"), Referer: r.Referer(),
	})
	route, ok := s.routes[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if route.Delay > 0 {
		select {
		case <-time.After(route.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if route.RefuseHead && r.Method == http.MethodHead {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	// Every answer sets a cookie, which a client must not send back.
	http.SetCookie(w, &http.Cookie{Name: "tracker", Value: "1", Path: "/"})
	status := route.Status
	if route.Location != "" {
		w.Header().Set("Location", route.Location)
		if status == 0 {
			status = http.StatusMovedPermanently
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	if r.Method != http.MethodGet || route.Body == 0 {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Length", fmt.Sprint(route.Body))
	w.WriteHeader(status)
	chunk := []byte(strings.Repeat("x", 32<<10))
	for sent := 0; sent < route.Body; sent += len(chunk) {
		if _, err := w.Write(chunk[:min(len(chunk), route.Body-sent)]); err != nil {
			s.mu.Lock()
			s.cut++
			s.mu.Unlock()
			return
		}
	}
}

// Network gives fake shorteners public names without DNS: the expander's
// Dial of a test. A connection goes to the fake a name maps to, and only
// when that fake's address is allowed; any other address meets
// expand.DefaultControl, which refuses every loopback address, so a name
// mapped with Rebind stands for a shortener whose DNS points inside.
type Network struct {
	mu      sync.Mutex
	hosts   map[string]string // name → loopback address
	allowed map[string]bool   // addresses the test lets through
}

// NewNetwork returns an empty Network.
func NewNetwork() *Network {
	return &Network{hosts: map[string]string{}, allowed: map[string]bool{}}
}

// Add maps name (on ports 80 and 443) to s and allows s's address.
func (n *Network) Add(name string, s *Server) {
	n.mu.Lock()
	defer n.mu.Unlock()
	addr := s.Listener.Addr().String()
	n.hosts[name], n.allowed[addr] = addr, true
}

// Rebind maps name to s without allowing its address: the guard refuses
// every connection to it, as to any internal address.
func (n *Network) Rebind(name string, s *Server) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.hosts[name] = s.Listener.Addr().String()
}

// Dial connects to the fake that address's host maps to. An unknown name
// fails at once, as a name without DNS records does.
func (n *Network) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	addr, err := n.resolve(address)
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Control: n.control}
	return d.DialContext(ctx, network, addr)
}

func (n *Network) resolve(address string) (string, error) {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return "", err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	addr, ok := n.hosts[host]
	if !ok {
		return "", &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return addr, nil
}

// control lets the allowed fakes through and sends every other address to
// the production guard.
func (n *Network) control(network, address string, c syscall.RawConn) error {
	n.mu.Lock()
	ok := n.allowed[address]
	n.mu.Unlock()
	if ok {
		return nil
	}
	return expand.DefaultControl(network, address, c)
}

// Proxy is a forward proxy on loopback standing in for the internet: it
// sends each absolute-form request to the fake its host maps to in a
// Network, and records what it was asked.
type Proxy struct {
	*httptest.Server
	network   *Network
	transport *http.Transport
	mu        sync.Mutex
	requests  []string // absolute URLs asked for
}

// NewProxy starts a forward proxy over n, closed when t ends.
func NewProxy(t testing.TB, n *Network) *Proxy {
	p := &Proxy{network: n, transport: &http.Transport{DialContext: n.Dial}}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(func() {
		p.Close()
		p.transport.CloseIdleConnections()
	})
	return p
}

// ProxyURL returns the proxy's address, for Options.Proxy.
func (p *Proxy) ProxyURL() *url.URL {
	u, _ := url.Parse(p.Server.URL)
	return u
}

// Requests returns the absolute URLs the proxy was asked for.
func (p *Proxy) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.requests = append(p.requests, r.URL.String())
	p.mu.Unlock()
	if !r.URL.IsAbs() {
		http.Error(w, "not a proxy request", http.StatusBadRequest)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Connection")
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}
