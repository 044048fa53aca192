package rules

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// DefaultAuditLimit is how many changes a store keeps in its audit log
// unless told otherwise.
const DefaultAuditLimit = 100_000

// watchBuffer is how many notices a slow watcher of a MemoryStore may fall
// behind before notices are dropped; the revision gap then tells the
// watcher to resync.
const watchBuffer = 256

// MemoryStore is the embedded Store: rules and audit log in this process
// only. It serves a single replica, or tests.
type MemoryStore struct {
	auditLimit int

	mu       sync.Mutex
	rules    map[string]Rule
	revision uint64
	audit    []Change // oldest first; the latest auditLimit count, up to twice as many are kept
	watchers map[chan Notice]struct{}
}

// NewMemoryStore returns an empty MemoryStore whose audit log keeps the
// latest auditLimit changes (DefaultAuditLimit when auditLimit <= 0).
func NewMemoryStore(auditLimit int) *MemoryStore {
	if auditLimit <= 0 {
		auditLimit = DefaultAuditLimit
	}
	return &MemoryStore{
		auditLimit: auditLimit,
		rules:      map[string]Rule{},
		watchers:   map[chan Notice]struct{}{},
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
	now := time.Now()
	r, err := Prepare(r, now)
	if err != nil {
		return Rule{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rules[r.ID] = r
	m.commit(Change{Op: OpAdd, Rule: r, By: r.CreatedBy, Why: r.Reason, Time: r.CreatedAt})
	return r, nil
}

// Remove implements Store.
func (m *MemoryStore) Remove(ctx context.Context, id, by, why string) (Rule, error) {
	by, why, err := CheckRemoval(by, why)
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
	m.commit(Change{Op: OpRemove, Rule: r, By: by, Why: why, Time: time.Now().UTC()})
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

// ExpiryChange is the change that cleans up the expired rule r at now.
func ExpiryChange(r Rule, now time.Time) Change {
	return Change{Op: OpExpire, Rule: r, By: ExpiredBy,
		Why: "expired at " + r.ExpiresAt.UTC().Format(time.RFC3339), Time: now.UTC()}
}

// commit numbers c, appends it to the audit log and notifies the watchers.
// m.mu is held.
func (m *MemoryStore) commit(c Change) Change {
	m.revision++
	c.Revision = m.revision
	m.audit = append(m.audit, c)
	if len(m.audit) >= 2*m.auditLimit {
		m.audit = slices.Clone(m.audit[len(m.audit)-m.auditLimit:])
	}
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
	limit = min(max(limit, 0), len(m.audit), m.auditLimit)
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
