package series

import (
	"context"
	"maps"
	"sync"
	"time"
)

// MemoryStore is the embedded Store: the buckets of the last retention in
// this process.
type MemoryStore struct {
	retention time.Duration

	mu      sync.Mutex
	buckets map[bucketID]*tally
}

// bucketID names a bucket: its span and its start.
type bucketID struct {
	span  time.Duration
	start time.Time
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns a MemoryStore keeping each hour for retention
// after its end (DefaultRetention when retention <= 0), and each minute for
// Retention(time.Minute, retention).
func NewMemoryStore(retention time.Duration) *MemoryStore {
	if retention <= 0 {
		retention = DefaultRetention
	}
	return &MemoryStore{retention: retention, buckets: map[bucketID]*tally{}}
}

// Add implements Store. A bucket past its retention is not kept.
func (m *MemoryStore) Add(ctx context.Context, minutes []Bucket) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	for id := range m.buckets {
		if m.expired(id, now) {
			delete(m.buckets, id)
		}
	}
	for _, minute := range minutes {
		for _, span := range Spans {
			id := bucketID{span, StartOf(minute.Start, span)}
			if m.expired(id, now) {
				continue
			}
			t := m.buckets[id]
			if t == nil {
				t = newTally()
				m.buckets[id] = t
			}
			t.addAll(minute.Counts)
		}
	}
	return nil
}

// Read implements Reader.
func (m *MemoryStore) Read(ctx context.Context, span time.Duration, from, to time.Time) ([]Bucket, error) {
	starts, err := Starts(span, from, to, m.retention)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	var out []Bucket
	for _, start := range starts {
		id := bucketID{span, start}
		if t := m.buckets[id]; t != nil && !m.expired(id, now) {
			out = append(out, Bucket{Start: start, Counts: maps.Clone(t.counts)})
		}
	}
	return out, nil
}

// expired reports whether a bucket is gone at now: it expires its
// retention after its end, as a Redis key with PEXPIREAT.
func (m *MemoryStore) expired(id bucketID, now time.Time) bool {
	return !id.start.Add(id.span + Retention(id.span, m.retention)).After(now)
}
