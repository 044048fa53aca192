package gateway

import (
	"sync"

	"github.com/blibli/safelink/gateway/verdict"
)

// Bounds of the caches of a loaded bundle.
const (
	cacheEntries = 512
	cacheKeyMax  = 4 << 10 // longer keys (very long URLs) are not cached
)

// boundedCache keeps recent answers by key, so that a link many people tap
// in the same minute (a hot campaign link) is worked out once. It belongs
// to one loaded bundle: a reload starts with empty caches.
type boundedCache[V any] struct {
	mu      sync.RWMutex
	entries map[string]V
}

func newBoundedCache[V any]() *boundedCache[V] {
	return &boundedCache[V]{entries: make(map[string]V)}
}

func (c *boundedCache[V]) get(key string) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.entries[key]
	return v, ok
}

// put remembers an answer. A full cache starts over, which keeps memory
// bounded without bookkeeping on every hit; the answers in use come back
// at once.
func (c *boundedCache[V]) put(key string, v V) {
	if len(key) > cacheKeyMax {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= cacheEntries {
		clear(c.entries)
	}
	c.entries[key] = v
}

// Decider decides on a link from the link alone; *verdict.Policy is one.
type Decider interface {
	Decide(link string) verdict.Verdict
}

// cachedPolicy remembers the policy's recent decisions. The decision is a
// pure function of the link and the policy, and a cached verdict is never
// changed: Verdict.Apply works on a copy.
type cachedPolicy struct {
	policy    *verdict.Policy
	decisions *boundedCache[verdict.Verdict]
}

func (p *cachedPolicy) Decide(link string) verdict.Verdict {
	if v, ok := p.decisions.get(link); ok {
		return v
	}
	v := p.policy.Decide(link)
	p.decisions.put(link, v)
	return v
}
