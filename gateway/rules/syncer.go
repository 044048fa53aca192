package rules

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of SyncerOptions.
const (
	DefaultResync      = 30 * time.Second
	DefaultCallTimeout = 5 * time.Second
)

// maxBatch bounds how many queued notices a Syncer applies at once before
// rebuilding its RuleSet.
const maxBatch = 1024

// SyncerOptions tune a Syncer. The zero value is usable.
type SyncerOptions struct {
	// Resync is how often every rule is reloaded, and expired rules are
	// cleaned up, whatever the notices say. DefaultResync when 0.
	Resync time.Duration
	// CallTimeout bounds one call to the store. DefaultCallTimeout when 0.
	CallTimeout time.Duration
	// Logger receives sync failures and recoveries; none when nil.
	Logger *slog.Logger
}

// SyncState is what a Syncer reports for metrics and readiness.
type SyncState struct {
	Rules       int       // rules held, expired ones not yet cleaned up included
	Revision    uint64    // store revision the rules are at
	LastSync    time.Time // end of the last full load or catch-up; zero before the first
	LastError   error     // the latest failure since that load; nil when in step
	LastErrorAt time.Time // when LastError happened
}

// Syncer keeps an in-memory copy of a Store's rules: it loads them all, then
// applies each change its watch delivers, catches up from the audit log
// whenever the watch resubscribes, and reloads them in full periodically
// and whenever the log cannot tell what was missed. While the store is
// unreachable it keeps serving the last copy. RuleSet and Match never wait
// on the store.
type Syncer struct {
	store  Store
	opts   SyncerOptions
	log    *slog.Logger
	set    atomic.Pointer[RuleSet]
	loaded chan struct{}
	once   sync.Once

	revision uint64 // owned by Run

	mu    sync.Mutex
	state SyncState
}

// NewSyncer returns a Syncer of store, empty until Run loads the rules.
func NewSyncer(store Store, opts SyncerOptions) *Syncer {
	if opts.Resync <= 0 {
		opts.Resync = DefaultResync
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = DefaultCallTimeout
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Syncer{store: store, opts: opts, log: log, loaded: make(chan struct{})}
	s.set.Store(NewRuleSet(nil))
	return s
}

// RuleSet returns the current rules. It never blocks.
func (s *Syncer) RuleSet() *RuleSet {
	return s.set.Load()
}

// Match matches a link against the current rules; see RuleSet.Match.
func (s *Syncer) Match(host, url string, now time.Time) (Rule, bool) {
	return s.set.Load().Match(host, url, now)
}

// Loaded is closed once the first full load has succeeded.
func (s *Syncer) Loaded() <-chan struct{} {
	return s.loaded
}

// State returns the sync state.
func (s *Syncer) State() SyncState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Run keeps the rules in step with the store until ctx ends.
func (s *Syncer) Run(ctx context.Context) {
	notices := s.store.Watch(ctx)
	s.reload(ctx)
	ticker := time.NewTicker(s.opts.Resync)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			s.reload(ctx)
			s.removeExpired(ctx)
		case n, ok := <-notices:
			if !ok {
				return
			}
			s.apply(ctx, drain(n, notices))
		}
	}
}

// drain returns first and the notices queued behind it, up to maxBatch.
func drain(first Notice, notices <-chan Notice) []Notice {
	batch := []Notice{first}
	for len(batch) < maxBatch {
		select {
		case n, ok := <-notices:
			if !ok {
				return batch
			}
			batch = append(batch, n)
		default:
			return batch
		}
	}
	return batch
}

// apply applies a batch of notices: changes in revision order. A Resync
// catches up on the changes missed since the copy's revision, from the
// store's audit log; when the log cannot tell them, or a revision is
// missing, the copy is reloaded in full.
func (s *Syncer) apply(ctx context.Context, batch []Notice) {
	var (
		rules    map[string]Rule
		revision = s.revision
		caughtUp bool
	)
	for _, n := range batch {
		var changes []Change
		switch {
		case n.Err != nil:
			s.fail("watching rule changes", n.Err)
			continue
		case n.Resync:
			missed, err := s.since(ctx, revision)
			if err != nil {
				if !errors.Is(err, ErrChangesGone) {
					s.fail("catching up on rule changes", err)
				}
				s.reload(ctx)
				return
			}
			changes, caughtUp = missed, true
		case n.Change != nil:
			changes = []Change{*n.Change}
		}
		for _, c := range changes {
			if c.Revision <= revision {
				continue // already in the copy
			}
			if c.Revision > revision+1 { // a change was missed
				s.reload(ctx)
				return
			}
			if rules == nil {
				rules = s.set.Load().ruleMap()
			}
			if c.Op == OpAdd {
				rules[c.Rule.ID] = c.Rule
			} else {
				delete(rules, c.Rule.ID)
			}
			revision = c.Revision
		}
	}
	if rules == nil && caughtUp {
		rules = s.set.Load().ruleMap()
	}
	if rules != nil {
		s.install(rules, revision, caughtUp)
	}
}

// since asks the store for the changes after revision.
func (s *Syncer) since(ctx context.Context, revision uint64) ([]Change, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
	defer cancel()
	return s.store.Since(ctx, revision)
}

// reload replaces the copy with every rule of the store.
func (s *Syncer) reload(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
	defer cancel()
	snap, err := s.store.List(ctx)
	if err != nil {
		s.fail("loading rules", err)
		return
	}
	rules := make(map[string]Rule, len(snap.Rules))
	for _, r := range snap.Rules {
		rules[r.ID] = r
	}
	s.install(rules, snap.Revision, true)
}

// install publishes a new RuleSet built from rules at revision.
func (s *Syncer) install(rules map[string]Rule, revision uint64, full bool) {
	list := make([]Rule, 0, len(rules))
	for _, r := range rules {
		list = append(list, r)
	}
	s.set.Store(NewRuleSet(list))
	s.revision = revision

	s.mu.Lock()
	recovered := full && s.state.LastError != nil
	s.state.Rules, s.state.Revision = len(list), revision
	if full {
		s.state.LastSync, s.state.LastError = time.Now(), nil
	}
	s.mu.Unlock()

	if recovered {
		s.log.Info("rules in sync again", "rules", len(list), "revision", revision)
	}
	if full {
		s.once.Do(func() { close(s.loaded) })
	}
}

// removeExpired cleans expired rules out of the store, when the copy holds
// any. Their removal reaches the copy as changes.
func (s *Syncer) removeExpired(ctx context.Context) {
	now := time.Now()
	expired := false
	for _, r := range s.set.Load().byID {
		expired = expired || !r.Active(now)
	}
	if !expired {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
	defer cancel()
	changes, err := s.store.RemoveExpired(ctx, now)
	if err != nil {
		s.fail("removing expired rules", err)
		return
	}
	for _, c := range changes {
		s.log.Info("expired rule removed", "id", c.Rule.ID, "match", c.Rule.Match, "value", c.Rule.Value)
	}
}

// fail records a failure, logging it when it is the first since the rules
// were last in step.
func (s *Syncer) fail(what string, err error) {
	err = fmt.Errorf("%s: %w", what, err)
	s.mu.Lock()
	first := s.state.LastError == nil
	s.state.LastError, s.state.LastErrorAt = err, time.Now()
	s.mu.Unlock()
	if first {
		s.log.Warn("rules out of sync; serving the last copy", "error", err)
	} else {
		s.log.Debug("rules still out of sync", "error", err)
	}
}
