package rules

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// watchBuffer is how many notices a slow watcher of a MemoryStore may fall
// behind before notices are dropped; the revision gap then tells the
// watcher to resync.
const watchBuffer = 256

// MemoryStore is the embedded Store: rules and audit log in this process
// only. It serves a single replica, or tests.
type MemoryStore struct {
	retention time.Duration
	now       func() time.Time

	mu       sync.Mutex
	rules    map[string]Rule
	revision uint64
	audit    []Change // in commit order; none older than retention before the last commit
	watchers map[chan Notice]struct{}
}

// NewMemoryStore returns an empty MemoryStore whose audit log keeps the
// changes of the last retention (DefaultAuditRetention when retention <=
// 0).
func NewMemoryStore(retention time.Duration) *MemoryStore {
	if retention <= 0 {
		retention = DefaultAuditRetention
	}
	return &MemoryStore{
		retention: retention,
		now:       time.Now,
		rules:     map[string]Rule{},
		watchers:  map[chan Notice]struct{}{},
	}
}

// List implements Store.
func (m *MemoryStore) List(ctx context.Context) (Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	snap := Snapshot{Rules: make([]Rule, 0, len(m.rules)), Revision: m.revision}
	for _, r := range m.rules {
		snap.Rules = append(snap.Rules, r)
	}
	return snap, nil
}

// Add implements Store.
func (m *MemoryStore) Add(ctx context.Context, r Rule) (Rule, error) {
	r, err := Prepare(r, m.now())
	if err != nil {
		return Rule{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rules[r.ID] = r
	m.commit(AddChange(r))
	return r, nil
}

// Remove implements Store.
func (m *MemoryStore) Remove(ctx context.Context, id string, removal Removal) (Rule, error) {
	removal, err := removal.Check()
	if err != nil {
		return Rule{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.rules[id]
	if !ok {
		return Rule{}, fmt.Errorf("removing rule %q: %w", truncate(id), ErrNotFound)
	}
	delete(m.rules, id)
	m.commit(RemoveChange(r, removal, m.now()))
	return r, nil
}

// RemoveExpired implements Store.
func (m *MemoryStore) RemoveExpired(ctx context.Context, now time.Time) ([]Change, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var changes []Change
	for id, r := range m.rules {
		if r.Active(now) {
			continue
		}
		delete(m.rules, id)
		changes = append(changes, m.commit(ExpiryChange(r, now)))
	}
	return changes, nil
}

// commit numbers c, appends it to the audit log, dropping the changes
// older than the retention, and notifies the watchers. m.mu is held.
func (m *MemoryStore) commit(c Change) Change {
	m.revision++
	c.Revision = m.revision
	// The log is in commit order: the changes past the retention lead it.
	oldest, drop := m.now().Add(-m.retention), 0
	for drop < len(m.audit) && m.audit[drop].Time.Before(oldest) {
		drop++
	}
	m.audit = append(m.audit[drop:], c)
	for w := range m.watchers {
		select {
		case w <- Notice{Change: &c}:
		default: // the watcher lags; it sees the gap in revisions and resyncs
		}
	}
	return c
}

// Audit implements Store.
func (m *MemoryStore) Audit(ctx context.Context, limit int) ([]Change, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	limit = min(max(limit, 0), len(m.audit))
	out := make([]Change, 0, limit)
	for i := len(m.audit) - 1; len(out) < limit; i-- {
		out = append(out, m.audit[i])
	}
	return out, nil
}

// Watch implements Store.
func (m *MemoryStore) Watch(ctx context.Context) <-chan Notice {
	w := make(chan Notice, watchBuffer)
	w <- Notice{Resync: true}
	m.mu.Lock()
	m.watchers[w] = struct{}{}
	m.mu.Unlock()
	context.AfterFunc(ctx, func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		delete(m.watchers, w)
		close(w)
	})
	return w
}
