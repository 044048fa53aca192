// Package fakesafebrowsing is a fake Safe Browsing API v4 server for tests
// and local demos. It speaks the protocol of the Update API as real clients
// do, protocol buffers over HTTP, and serves lists loaded from a threat file
// (see ParseThreats) instead of Google's.
//
// It answers threatListUpdates:fetch with a full update of raw 4-byte
// prefixes and fullHashes:find with the full hashes under the requested
// prefixes. Its controls simulate a failing server: Stop, SetDelay and
// SetFailure.
package fakesafebrowsing

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

// The paths of the protocol's methods.
const (
	listUpdatePath = "/v4/threatListUpdates:fetch"
	fullHashesPath = "/v4/fullHashes:find"
)

// maxRequestBytes bounds the size of a request body.
const maxRequestBytes = 1 << 20

// garbage is the answer under FailureGarbage: not a protocol buffer.
var garbage = []byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xffnot a protocol buffer")

// Failure is a way for the server to fail every request.
type Failure int

// The failures a Server can simulate.
const (
	// FailureNone answers requests correctly.
	FailureNone Failure = iota
	// FailureGarbage answers with status 200 and a body that is not a
	// protocol buffer.
	FailureGarbage
	// FailureStatus500 answers with status 500.
	FailureStatus500
)

// Config configures a Server.
type Config struct {
	// Threats are the listed URLs.
	Threats []Entry
	// RandomPrefixes is the number of random prefixes, without full
	// hashes, added to the list of RandomType to make it as large as a
	// real one.
	RandomPrefixes int
	// RandomType is the list that gets the random prefixes; empty means
	// verdict.ThreatMalware.
	RandomType verdict.Threat
	// Seed seeds the generator of random prefixes.
	Seed uint64
	// MinimumWait is the minimum wait duration sent with list updates:
	// clients wait at least this long before asking for the next one.
	MinimumWait time.Duration
	// CacheDuration is how long clients may cache a full hash answer,
	// listed or not.
	CacheDuration time.Duration
	// Logger receives a line per request. Nil means no log.
	Logger *slog.Logger
}

// Server is a fake Safe Browsing API v4 server. It is an http.Handler, and
// Start serves it on an address of its own.
type Server struct {
	cfg    Config
	lists  map[uint64]list
	hashes map[[prefixSize]byte][]listedHash

	mu      sync.Mutex
	delay   time.Duration
	failure Failure
	http    *http.Server
	addr    net.Addr

	stopOnce sync.Once
	stopped  chan struct{}
}

// New returns a server for the lists cfg describes.
func New(cfg Config) (*Server, error) {
	if cfg.RandomType == "" {
		cfg.RandomType = verdict.ThreatMalware
	}
	lists, hashes, err := buildLists(cfg.Threats, cfg.RandomPrefixes, cfg.RandomType, cfg.Seed)
	if err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: cfg, lists: lists, hashes: hashes, stopped: make(chan struct{})}, nil
}

// Start listens on addr, such as "127.0.0.1:0", and serves in the
// background until Stop.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.addr = ln.Addr()
	srv := s.http
	s.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.cfg.Logger.Error("fake Safe Browsing server stopped", "error", err)
		}
	}()
	return nil
}

// URL returns the base URL of the server Start started, for a client's
// server URL setting.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return "http://" + s.addr.String()
}

// Stop takes the server down: it stops listening, so that new connections
// are refused, and drops the open ones, delayed answers included.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { close(s.stopped) })
	s.mu.Lock()
	srv := s.http
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Close()
}

// SetDelay makes the server wait d before answering each request.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetFailure makes the server fail every request in the way f says, or
// answer correctly again with FailureNone.
func (s *Server) SetFailure(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failure = f
}

// ServeHTTP answers a request of the Safe Browsing API v4.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var answer func([]byte) ([]byte, error)
	switch r.URL.Path {
	case listUpdatePath:
		answer = s.listUpdate
	case fullHashesPath:
		answer = s.fullHashes
	default:
		http.Error(w, "no such method: "+r.URL.Path, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost {
		http.Error(w, "method must be POST", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Query().Get("key") == "" {
		http.Error(w, "missing API key", http.StatusForbidden)
		return
	}
	if alt := r.URL.Query().Get("alt"); alt != "proto" {
		http.Error(w, "this fake answers alt=proto only, not alt="+alt, http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		http.Error(w, "reading request: "+err.Error(), http.StatusBadRequest)
		return
	}

	s.mu.Lock()
	delay, failure := s.delay, s.failure
	s.mu.Unlock()
	if delay > 0 {
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-s.stopped:
			panic(http.ErrAbortHandler) // drop the connection, answer nothing
		case <-r.Context().Done():
			panic(http.ErrAbortHandler) // the client is gone
		}
	}
	switch failure {
	case FailureGarbage:
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.Write(garbage)
		return
	case FailureStatus500:
		http.Error(w, "simulated server failure", http.StatusInternalServerError)
		return
	}

	resp, err := answer(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(resp)
}

// listUpdate answers a FetchThreatListUpdatesRequest with a full update of
// every list it asks for.
func (s *Server) listUpdate(body []byte) ([]byte, error) {
	lists, err := parseListUpdateRequest(body)
	if err != nil {
		return nil, err
	}
	var resp []byte
	prefixes := 0
	for _, d := range lists {
		l, ok := s.lists[d.threatType]
		if !ok {
			l = newList(nil)
		}
		resp = appendFullUpdate(resp, 1, d, l.raw, l.sum)
		prefixes += len(l.raw) / prefixSize
	}
	resp = appendDuration(resp, 2, s.cfg.MinimumWait)
	s.cfg.Logger.Info("list update", "lists", len(lists), "prefixes", prefixes)
	return resp, nil
}

// fullHashes answers a FindFullHashesRequest with the full hashes under the
// requested prefixes, on the requested lists.
func (s *Server) fullHashes(body []byte) ([]byte, error) {
	req, err := parseFullHashRequest(body)
	if err != nil {
		return nil, err
	}
	platforms := req.platforms
	if len(platforms) == 0 {
		platforms = []uint64{platformAnyPlatform}
	}
	var resp []byte
	matches := 0
	for _, prefix := range req.prefixes {
		if len(prefix) < prefixSize || len(prefix) > len(listedHash{}.hash) {
			return nil, errors.New("hash prefix length is outside [4, 32]")
		}
		for _, h := range s.hashes[[prefixSize]byte(prefix)] {
			if !bytes.HasPrefix(h.hash[:], prefix) {
				continue
			}
			if len(req.threatTypes) > 0 && !slices.Contains(req.threatTypes, h.threatType) {
				continue
			}
			for _, platform := range platforms {
				d := descriptor{threatType: h.threatType, platform: platform, entryType: entryTypeURL}
				resp = appendThreatMatch(resp, 1, d, h.hash[:], s.cfg.CacheDuration)
				matches++
			}
		}
	}
	resp = appendDuration(resp, 3, s.cfg.CacheDuration)
	s.cfg.Logger.Info("full hash lookup", "prefixes", len(req.prefixes), "matches", matches)
	return resp, nil
}
