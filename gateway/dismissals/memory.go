package dismissals

import (
	"context"
	"slices"
	"sync"
)

// Memory is a Store in memory, for a single instance.
type Memory struct {
	maxSites int

	mu    sync.Mutex
	sites map[string]Dismissal
	log   []Change // oldest first, at most MaxLog
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty store keeping at most maxSites dismissals
// (MaxSites when 0 or less, or more).
func NewMemory(maxSites int) *Memory {
	if maxSites <= 0 || maxSites > MaxSites {
		maxSites = MaxSites
	}
	return &Memory{maxSites: maxSites, sites: map[string]Dismissal{}}
}

// Dismiss implements Store.
func (m *Memory) Dismiss(_ context.Context, d Dismissal) error {
	d, err := d.Check()
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sites[d.Site]; !ok && len(m.sites) >= m.maxSites {
		return ErrFull
	}
	m.sites[d.Site] = d
	m.append(d.Change())
	return nil
}

// Undo implements Store.
func (m *Memory) Undo(_ context.Context, ch Change) (Dismissal, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.sites[ch.Site]
	if !ok {
		return Dismissal{}, ErrNotFound
	}
	delete(m.sites, ch.Site)
	m.append(ch)
	return d, nil
}

// append logs ch, dropping the oldest change past MaxLog.
func (m *Memory) append(ch Change) {
	if len(m.log) >= MaxLog {
		m.log = slices.Delete(m.log, 0, len(m.log)-MaxLog+1)
	}
	m.log = append(m.log, ch)
}

// Get implements Store.
func (m *Memory) Get(_ context.Context, site string) (Dismissal, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.sites[site]
	return d, ok, nil
}

// List implements Store.
func (m *Memory) List(context.Context) ([]Dismissal, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Dismissal, 0, len(m.sites))
	for _, d := range m.sites {
		out = append(out, d)
	}
	return out, nil
}

// Log implements Store.
func (m *Memory) Log(_ context.Context, limit int) ([]Change, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := min(max(limit, 0), len(m.log))
	out := slices.Clone(m.log[len(m.log)-n:])
	slices.Reverse(out)
	return out, nil
}
