// Package recent keeps recent answers by key in a bounded map. A full map
// starts over: the answers in use come back at once, and memory stays
// bounded without bookkeeping on every hit.
package recent

import (
	"strings"
	"sync"
)

// Map holds at most a fixed number of values by key. It is safe for
// concurrent use.
type Map[V any] struct {
	max    int // entries
	maxKey int // bytes of a key kept; 0 for any length

	mu      sync.RWMutex
	entries map[string]V
}

// New returns a Map of at most max entries whose keys hold at most maxKey
// bytes (0: any length); a longer key is never kept.
func New[V any](max, maxKey int) *Map[V] {
	return &Map[V]{max: max, maxKey: maxKey, entries: make(map[string]V)}
}

// Get returns the value kept for key.
func (m *Map[V]) Get(key string) (V, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	v, ok := m.entries[key]
	return v, ok
}

// Put keeps v for key, emptying a full map first. The key is copied, so
// that it never holds on to the string it was cut from.
func (m *Map[V]) Put(key string, v V) {
	if m.maxKey > 0 && len(key) > m.maxKey {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.entries) >= m.max {
		clear(m.entries)
	}
	m.entries[strings.Clone(key)] = v
}

// Len returns how many entries the map holds.
func (m *Map[V]) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.entries)
}
