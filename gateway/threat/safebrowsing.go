package threat

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blibli/safelink/gateway/redact"
	"github.com/blibli/safelink/gateway/verdict"
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
	cfg    Config
	libCfg safebrowsing.Config
	log    *libraryLog
	cache  *lookupCache  // nil when off
	stop   chan struct{} // closed by Close to end supervise

	// mu guards the fields below. Lookups hold it for reading while they
	// use the client, so that a restart can close the old client safely.
	mu       sync.RWMutex
	client   *safebrowsing.SafeBrowser // nil until the library has started
	startup  error                     // why the library could not start
	closed   bool
	restarts int

	// readyUntil is when, in Unix nanoseconds, Cached stops trusting the
	// last ready state it read; zero once the client changes or closes.
	readyUntil atomic.Int64
}

// readinessMemo is how long Cached trusts a ready state once read, so that
// a hot link's answer costs a map lookup rather than a question to the
// library. Lists that fail show in Cached within this time; Lookup always
// asks.
const readinessMemo = 100 * time.Millisecond

// NewSafeBrowsing validates cfg and starts loading the lists in the
// background: from cfg.DBPath when that file holds fresh lists, otherwise
// from the server. It returns at once; until the lists are loaded, Status
// reports verdict.ListsLoading and Lookup fails with ErrNotReady.
func NewSafeBrowsing(cfg Config) (*SafeBrowsing, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &SafeBrowsing{cfg: cfg, log: &libraryLog{logger: cfg.Logger, key: redact.New(cfg.APIKey)}, stop: make(chan struct{})}
	s.libCfg = cfg.libraryConfig(s.log)
	s.cache = newLookupCache(cfg.CacheSize, cfg.CacheTTL)
	go s.supervise()
	return s, nil
}

// supervise starts the library's client, which loads the lists before it
// returns and then refreshes them in its own goroutine, and restarts it
// whenever its lists fail. After a failed update the library drops its
// lists and waits 15 minutes or more before it tries again; a new client
// reloads the last lists saved in Config.DBPath at once, or downloads them,
// so one failed request does not leave every link unverified for that long.
func (s *SafeBrowsing) supervise() {
	s.start()
	tick := time.NewTicker(s.cfg.RetryPeriod)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
			if s.failing() {
				s.start()
			}
		}
	}
}

// failing reports whether the client did not start or its lists are lost
// or stale.
func (s *SafeBrowsing) failing() bool {
	s.mu.RLock()
	client, startup := s.client, s.startup
	s.mu.RUnlock()
	if client == nil {
		return startup != nil
	}
	_, err := client.Status()
	return err != nil || s.Status().State != verdict.ListsReady
}

// start creates a client and puts it in place of the current one, which it
// closes once no lookup uses it.
func (s *SafeBrowsing) start() {
	s.log.expectSaved(savedListsTime(s.cfg.DBPath))
	client, err := safebrowsing.NewSafeBrowser(s.libCfg)
	s.mu.Lock()
	old := s.client
	switch {
	case err != nil:
		s.startup = s.log.key.Error(err)
		s.cfg.Logger.Error("Safe Browsing client did not start", "error", s.startup)
	case s.closed:
		client.Close()
	default:
		s.client, s.startup = client, nil
		s.readyUntil.Store(0)
		if old != nil {
			s.restarts++
			s.cfg.Logger.Warn("Safe Browsing client restarted after its lists failed", "restarts", s.restarts)
		}
	}
	s.mu.Unlock()
	if err == nil && old != nil {
		old.Close()
	}
}

// Cached returns Lookup's answer for rawURL when it is at hand without any
// work at now: the lists are ready and a fresh answer is in the lookup
// cache.
func (s *SafeBrowsing) Cached(rawURL string, now time.Time) ([]verdict.Threat, bool) {
	if now.UnixNano() >= s.readyUntil.Load() {
		s.mu.RLock()
		err := s.readiness()
		if err == nil {
			// Under the read lock, so that Close or a restart, which
			// take the lock to write, always clear it after this.
			s.readyUntil.Store(now.Add(readinessMemo).UnixNano())
		}
		s.mu.RUnlock()
		if err != nil {
			return nil, false
		}
	}
	return s.cache.get(rawURL, s.log.lastUpdate(), now)
}

// Lookup returns the threat types whose lists hold rawURL, each once and in
// the order of DefaultLists; none for a URL on no list. Most URLs are settled by
// the local database; a URL whose hash prefix is listed needs a request to
// the server, which is abandoned when ctx ends.
//
// When the answer is unknown, Lookup returns an error: ErrNotReady,
// ErrStale, ErrClosed, or an *UnconfirmedError wrapping the context's
// error (context.DeadlineExceeded past the time budget) or the error of
// the request to the server for a listed prefix's full hashes.
func (s *SafeBrowsing) Lookup(ctx context.Context, rawURL string) ([]verdict.Threat, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.readiness(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("threat: lookup: %w", err)
	}
	now, lists := time.Now(), s.log.lastUpdate()
	if types, ok := s.cache.get(rawURL, lists, now); ok {
		return types, nil
	}
	threats, err := s.client.LookupURLsContext(ctx, []string{rawURL})
	if err != nil {
		// With the lists ready, only a listed prefix sends the library to
		// the server, for its full hashes: a failure leaves the URL
		// unconfirmed.
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, &UnconfirmedError{Err: ctxErr}
		}
		if stateErr := s.readiness(); stateErr != nil {
			return nil, stateErr
		}
		return nil, &UnconfirmedError{Err: s.log.key.Error(err)}
	}
	types := matchedTypes(threats[0])
	s.cache.put(rawURL, types, lists, now)
	return types, nil
}

// readiness tells whether the lists may be used, or the error that says
// why not. The caller holds s.mu.
func (s *SafeBrowsing) readiness() error {
	if s.closed {
		return ErrClosed
	}
	switch st := s.status(); st.State {
	case verdict.ListsReady:
		return nil
	case verdict.ListsStale:
		return fmt.Errorf("%w: last updated %v ago", ErrStale, st.Age.Round(time.Second))
	default:
		if st.Problem != "" {
			return fmt.Errorf("%w: %s", ErrNotReady, st.Problem)
		}
		return ErrNotReady
	}
}

// matchedTypes returns the threat types of threats, each once and in the
// order of DefaultLists.
func matchedTypes(threats []safebrowsing.URLThreat) []verdict.Threat {
	var types []verdict.Threat
	for _, t := range DefaultLists {
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
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.readyUntil.Store(0)
	client := s.client
	s.mu.Unlock()
	close(s.stop)
	if client != nil {
		return client.Close()
	}
	return nil
}
