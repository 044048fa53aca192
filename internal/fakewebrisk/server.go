// Package fakewebrisk is a fake Google Web Risk server for tests and local
// demos. It serves, over plaintext gRPC, the service
// google.cloud.webrisk.v1.WebRiskService that the official client
// cloud.google.com/go/webrisk/apiv1 calls, with lists loaded from a threat
// file (see ParseThreats) instead of Google's.
//
// ComputeThreatListDiff answers a client without a version token, or with
// one the server does not know, with a RESET to the whole list, and a client
// with a known token with a DIFF: the prefixes added since and the indices
// of the prefixes removed, RAW or RICE as the client supports, with the
// checksum of the list after the update. SearchHashes answers with the full
// hashes of the listed entries under a prefix.
//
// Add and Remove change the lists while the server runs; SetDelay,
// SetFailure and Stop simulate a failing server; Calls and APIKey tell what
// clients asked. The fake ignores the size limits of a diff request
// (max_diff_entries, max_database_entries) and serves 4-byte prefixes only.
package fakewebrisk

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
	"github.com/blibli/safelink/internal/fakesafebrowsing"
	"google.golang.org/grpc"
)

// APIKeyHeader is the metadata key that carries a client's API key.
const APIKeyHeader = "x-goog-api-key"

// Config configures a Server.
type Config struct {
	// Threats are the listed URLs.
	Threats []Entry
	// RandomPrefixes is the number of random prefixes, without full
	// hashes, added to the list of RandomType to make it as large as a
	// real one.
	RandomPrefixes int
	// RandomType is the list that gets the random prefixes; zero means
	// webriskpb.ThreatType_MALWARE.
	RandomType webriskpb.ThreatType
	// Seed seeds the generator of random prefixes.
	Seed uint64
	// NextDiff is how long after a diff the server recommends the next
	// one (recommended_next_diff).
	NextDiff time.Duration
	// CacheDuration is how long clients may cache a full hash answer,
	// listed (expire_time) or not (negative_expire_time).
	CacheDuration time.Duration
	// Logger receives a line per call, and one more on what the server
	// answered. Nil means no log.
	Logger *slog.Logger
}

// Server is a fake Web Risk server. Its methods are safe for concurrent use.
type Server struct {
	cfg Config

	mu      sync.Mutex
	lists   map[webriskpb.ThreatType]*list
	delay   time.Duration
	failure Failure
	calls   map[string]int
	apiKey  string
	grpc    *grpc.Server
	addr    net.Addr
}

// New returns a server for the lists cfg describes.
func New(cfg Config) (*Server, error) {
	if cfg.RandomType == webriskpb.ThreatType_THREAT_TYPE_UNSPECIFIED {
		cfg.RandomType = webriskpb.ThreatType_MALWARE
	}
	if !served(cfg.RandomType) {
		return nil, fmt.Errorf("random prefixes for threat type %v, which the fake does not serve", cfg.RandomType)
	}
	if err := checkTypes(cfg.Threats); err != nil {
		return nil, err
	}
	random, err := fakesafebrowsing.RandomPrefixes(cfg.RandomPrefixes, cfg.Seed)
	if err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, lists: make(map[webriskpb.ThreatType]*list), calls: make(map[string]int)}
	for _, t := range ThreatTypes {
		var r []uint32
		if t == cfg.RandomType {
			r = random
		}
		s.lists[t] = newList(t, r, cfg.Threats)
	}
	return s, nil
}

// checkTypes returns an error if an entry is of a type the server does not
// serve.
func checkTypes(entries []Entry) error {
	for _, e := range entries {
		if !served(e.Type) {
			return fmt.Errorf("entry %q has threat type %v, which the fake does not serve", e.Expression, e.Type)
		}
	}
	return nil
}

// Start listens on addr, such as "127.0.0.1:0", and serves in the
// background until Stop.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := grpc.NewServer(grpc.UnaryInterceptor(s.intercept))
	webriskpb.RegisterWebRiskServiceServer(srv, service{Server: s})
	s.mu.Lock()
	s.grpc, s.addr = srv, ln.Addr()
	s.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			s.cfg.Logger.Error("fake Web Risk server stopped", "error", err)
		}
	}()
	return nil
}

// Addr returns the address Start listens on, "host:port", for a client's
// endpoint setting, or "" before Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addr == nil {
		return ""
	}
	return s.addr.String()
}

// Stop takes the server down: it stops listening, so that new connections
// are refused, and ends the open ones, delayed calls included.
func (s *Server) Stop() {
	s.mu.Lock()
	srv := s.grpc
	s.mu.Unlock()
	if srv != nil {
		srv.Stop()
	}
}
