package events

import (
	"context"
	"sync"
	"time"
)

// DefaultMemoryCapacity is how many events of each kind a MemorySink keeps
// unless told otherwise.
const DefaultMemoryCapacity = 10_000

// MemorySink is the embedded Sink and Reader: the latest events of each
// kind in a ring in this process.
type MemorySink struct {
	capacity int

	mu    sync.Mutex
	rings map[Kind]*ring
}

// ring holds the latest events of one kind; next is where the next one
// goes once buf is full.
type ring struct {
	buf  []Event
	next int
}

// NewMemorySink returns a MemorySink keeping the latest capacity events of
// each kind (DefaultMemoryCapacity when capacity <= 0).
func NewMemorySink(capacity int) *MemorySink {
	if capacity <= 0 {
		capacity = DefaultMemoryCapacity
	}
	return &MemorySink{capacity: capacity, rings: map[Kind]*ring{}}
}

// Write implements Sink.
func (m *MemorySink) Write(ctx context.Context, batch []Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range batch {
		r := m.rings[e.Kind]
		if r == nil {
			r = &ring{}
			m.rings[e.Kind] = r
		}
		if len(r.buf) < m.capacity {
			r.buf = append(r.buf, e)
			continue
		}
		r.buf[r.next] = e
		r.next = (r.next + 1) % m.capacity
	}
	return nil
}

// Recent implements Reader.
func (m *MemorySink) Recent(ctx context.Context, kind Kind, since time.Time, limit int) ([]Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.rings[kind]
	if r == nil || limit <= 0 {
		return nil, nil
	}
	var out []Event
	for i := range len(r.buf) {
		e := r.buf[(r.next-1-i+2*len(r.buf))%len(r.buf)]
		if e.Time.Before(since) {
			continue
		}
		out = append(out, e)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
