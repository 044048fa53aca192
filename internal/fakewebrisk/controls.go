package fakewebrisk

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Failure is a way for the server to fail.
type Failure int

// The failures a Server can simulate.
const (
	// FailureNone answers requests correctly.
	FailureNone Failure = iota
	// FailureUnavailable fails every call with codes.Unavailable, as a
	// server that is down.
	FailureUnavailable
	// FailureResourceExhausted fails every call with
	// codes.ResourceExhausted, as a quota that is used up (HTTP 429).
	FailureResourceExhausted
	// FailureBadChecksum answers ComputeThreatListDiff with a checksum that
	// does not match the list after the update.
	FailureBadChecksum
	// FailureBadRice answers ComputeThreatListDiff with RICE additions that
	// do not decode.
	FailureBadRice
)

// Add lists entries. Clients see them after their next diff.
func (s *Server) Add(entries ...Entry) error {
	if err := checkTypes(entries); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.change(entries, func(l *list, hash [32]byte) { l.entries[hash] = struct{}{} })
	return nil
}

// Remove takes entries off their lists; entries that are not listed are
// ignored. Clients see the change after their next diff.
func (s *Server) Remove(entries ...Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.change(entries, func(l *list, hash [32]byte) { delete(l.entries, hash) })
}

// change applies edit to the list of each entry, then makes a new version
// of each list it changed. The caller holds s.mu.
func (s *Server) change(entries []Entry, edit func(l *list, hash [32]byte)) {
	changed := make(map[*list]bool)
	for _, e := range entries {
		l := s.lists[e.Type]
		if l == nil {
			continue
		}
		before := len(l.entries)
		edit(l, e.Hash())
		changed[l] = changed[l] || len(l.entries) != before
	}
	for l, ok := range changed {
		if ok {
			l.changed()
		}
	}
}

// SetDelay makes the server wait d before answering each call.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetFailure makes the server fail in the way f says, or answer correctly
// again with FailureNone.
func (s *Server) SetFailure(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failure = f
}

// Calls returns how many calls of the method named by its full name, such
// as webriskpb.WebRiskService_SearchHashes_FullMethodName, the server
// received, failed ones included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// APIKey returns the API key the last call carried in its metadata
// (APIKeyHeader), or "" if it carried none.
func (s *Server) APIKey() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.apiKey
}

// intercept counts each call, records its API key, and delays or fails it
// as the server is set to.
func (s *Server) intercept(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	var key string
	if keys := metadata.ValueFromIncomingContext(ctx, APIKeyHeader); len(keys) > 0 {
		key = keys[0]
	}
	s.mu.Lock()
	s.calls[info.FullMethod]++
	s.apiKey = key
	delay, failure := s.delay, s.failure
	s.mu.Unlock()

	resp, err := s.answer(ctx, req, handler, delay, failure)
	s.cfg.Logger.Info("call", "method", info.FullMethod, "code", status.Code(err), "api_key_sent", key != "")
	return resp, err
}

func (s *Server) answer(ctx context.Context, req any, handler grpc.UnaryHandler, delay time.Duration, failure Failure) (any, error) {
	if delay > 0 {
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			return nil, status.FromContextError(ctx.Err()).Err()
		}
	}
	switch failure {
	case FailureUnavailable:
		return nil, status.Error(codes.Unavailable, "simulated outage")
	case FailureResourceExhausted:
		return nil, status.Error(codes.ResourceExhausted, "simulated quota exhaustion")
	}
	return handler(ctx, req)
}
