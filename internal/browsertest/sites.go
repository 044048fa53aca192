package browsertest

import (
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Sites stands in for the web outside the gateway: an https and an http
// server on loopback that answer for every host the browser is told to
// find there, and remember each page they served.
type Sites struct {
	https, http *httptest.Server
	hosts       map[string]string // "host:port" → address of the server

	mu     sync.Mutex
	served []string
}

// NewSites starts the two servers; they stop when the test ends.
func NewSites(tb testing.TB) *Sites {
	s := &Sites{hosts: map[string]string{}}
	s.https = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	s.http = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.https.Close)
	tb.Cleanup(s.http.Close)
	return s
}

// serve answers every request with a small page and remembers its URL.
func (s *Sites) serve(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	s.mu.Lock()
	s.served = append(s.served, scheme+"://"+r.Host+r.URL.RequestURI())
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<!doctype html><html lang="id"><title>Situs uji</title><p>Situs uji</p></html>`)
}

// Add makes the host and port of rawURL, an http or https URL, reach
// these servers. Add every URL before the browser starts.
func (s *Sites) Add(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	server, port := s.https, "443"
	switch u.Scheme {
	case "https":
	case "http":
		server, port = s.http, "80"
	default:
		return fmt.Errorf("%s: the test sites serve http and https only", rawURL)
	}
	if u.Port() != "" {
		port = u.Port()
	}
	s.hosts[net.JoinHostPort(u.Hostname(), port)] = server.Listener.Addr().String()
	return nil
}

// BrowserOptions tells a browser to find the added hosts on these servers,
// and nothing else anywhere, and to trust the https server's certificate.
func (s *Sites) BrowserOptions() Options {
	return Options{Hosts: s.hosts, TrustedCerts: []*x509.Certificate{s.https.Certificate()}}
}

// Served reports whether the servers served the page at rawURL. Browsers
// send neither the user name nor the fragment of a URL, so neither counts.
func (s *Sites) Served(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	u.User, u.Fragment, u.RawFragment = nil, "", ""
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Contains(s.served, u.String())
}

// ServedURLs lists every URL the servers served, for messages.
func (s *Sites) ServedURLs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.served, ", ")
}
