package threat

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/safebrowsing"
)

// Errors that Lookup returns when it cannot tell whether a URL is listed.
var (
	// ErrNotReady means the lists are not loaded: the first download has
	// not finished, or the last update failed and the library dropped them.
	ErrNotReady = errors.New("threat: Safe Browsing lists are not loaded")

	// ErrStale means the lists are older than the configured maximum age,
	// so the Safe Browsing terms forbid warning from them.
	ErrStale = errors.New("threat: Safe Browsing lists are stale")

	// ErrClosed means the checker was closed.
	ErrClosed = errors.New("threat: Safe Browsing checker is closed")
)

// SafeBrowsing checks URLs against the Safe Browsing lists, which it keeps
// in a local database refreshed in the background. Its methods are safe for
// concurrent use.
type SafeBrowsing struct {
	cfg Config
	log *libraryLog

	mu      sync.Mutex
	client  *safebrowsing.SafeBrowser // nil until the library has started
	startup error                     // why the library could not start
	closed  bool
}

// NewSafeBrowsing validates cfg and starts loading the lists in the
// background: from cfg.DBPath when that file holds fresh lists, otherwise
// from the server. It returns at once; until the lists are loaded, Status
// reports StateLoading and Lookup fails with ErrNotReady.
func NewSafeBrowsing(cfg Config) (*SafeBrowsing, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &SafeBrowsing{cfg: cfg, log: &libraryLog{logger: cfg.Logger}}
	go s.start(cfg.libraryConfig(s.log))
	return s, nil
}

// start creates the library's client, which loads the lists before it
// returns and then refreshes them in its own goroutine.
func (s *SafeBrowsing) start(libCfg safebrowsing.Config) {
	client, err := safebrowsing.NewSafeBrowser(libCfg)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case err != nil:
		s.startup = err
		s.cfg.Logger.Error("Safe Browsing client did not start", "error", err)
	case s.closed:
		client.Close()
	default:
		s.client = client
	}
}

// Lookup returns the threat types whose lists hold rawURL, each once and in
// the order of Types; none for a URL on no list. Most URLs are settled by
// the local database; a URL whose hash prefix is listed needs a request to
// the server, which is abandoned when ctx ends.
//
// When the answer is unknown, Lookup returns an error: ErrNotReady,
// ErrStale, ErrClosed, the context's error (context.DeadlineExceeded past
// the time budget), or the error of the request to the server.
func (s *SafeBrowsing) Lookup(ctx context.Context, rawURL string) ([]Type, error) {
	client, err := s.readyClient()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("threat: lookup: %w", err)
	}
	threats, err := client.LookupURLsContext(ctx, []string{rawURL})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("threat: lookup: %w", ctxErr)
		}
		if _, stateErr := s.readyClient(); stateErr != nil {
			return nil, stateErr
		}
		return nil, fmt.Errorf("threat: lookup: %w", err)
	}
	return matchedTypes(threats[0]), nil
}

// readyClient returns the library's client if its lists may be used, or the
// error that says why not.
func (s *SafeBrowsing) readyClient() (*safebrowsing.SafeBrowser, error) {
	s.mu.Lock()
	client, closed := s.client, s.closed
	s.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	switch st := s.Status(); st.State {
	case StateReady:
		return client, nil
	case StateStale:
		return nil, fmt.Errorf("%w: last updated %v ago", ErrStale, st.Age.Round(time.Second))
	default:
		if st.Problem != "" {
			return nil, fmt.Errorf("%w: %s", ErrNotReady, st.Problem)
		}
		return nil, ErrNotReady
	}
}

// matchedTypes returns the threat types of threats, each once and in the
// order of Types.
func matchedTypes(threats []safebrowsing.URLThreat) []Type {
	var types []Type
	for _, t := range Types {
		for _, threat := range threats {
			if threat.ThreatType == libraryTypes[t] {
				types = append(types, t)
				break
			}
		}
	}
	return types
}

// Close stops the background refresh. Lookups after Close fail with
// ErrClosed. A client still loading its lists is stopped once it has.
func (s *SafeBrowsing) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.client != nil {
		return s.client.Close()
	}
	return nil
}
