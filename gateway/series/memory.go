package series

import (
	"context"
	"maps"
	"sync"
	"time"
)

// MemoryStore is the embedded Store: the minutes of the last retention in
// this process.
type MemoryStore struct {
	retention time.Duration

	mu      sync.Mutex
	minutes map[time.Time]*tally // by start
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns a MemoryStore keeping each minute for retention
// after its start (DefaultRetention when retention <= 0).
func NewMemoryStore(retention time.Duration) *MemoryStore {
	if retention <= 0 {
		retention = DefaultRetention
	}
	return &MemoryStore{retention: retention, minutes: map[time.Time]*tally{}}
}

// Add implements Store. A minute past its retention is not kept.
func (m *MemoryStore) Add(ctx context.Context, minutes []Minute) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	for start := range m.minutes {
		if m.expired(start, now) {
			delete(m.minutes, start)
		}
	}
	for _, minute := range minutes {
		start := MinuteOf(minute.Start)
		if m.expired(start, now) {
			continue
		}
		t := m.minutes[start]
		if t == nil {
			t = newTally()
			m.minutes[start] = t
		}
		t.addAll(minute.Counts)
	}
	return nil
}

// Read implements Reader.
func (m *MemoryStore) Read(ctx context.Context, from, to time.Time) ([]Minute, error) {
	starts, err := MinutesOf(from, to, m.retention)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	var out []Minute
	for _, start := range starts {
		if t := m.minutes[start]; t != nil && !m.expired(start, now) {
			out = append(out, Minute{Start: start, Counts: maps.Clone(t.counts)})
		}
	}
	return out, nil
}

// expired reports whether the minute starting at start is gone at now: a
// minute expires retention after its start, as a Redis key with PEXPIREAT.
func (m *MemoryStore) expired(start, now time.Time) bool {
	return !start.Add(m.retention).After(now)
}
