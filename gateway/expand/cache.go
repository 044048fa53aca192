package expand

import (
	"context"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/blibli/safelink/gateway/recent"
)

// How long expansions are remembered by default: a destination found for
// ten minutes, so that a link shared in a busy chat is expanded once; a
// failure for half a minute, so that a shortener that was down or slow is
// asked again soon, but not on every click.
const (
	DefaultTTL        = 10 * time.Minute
	DefaultFailureTTL = 30 * time.Second
)

// Bounds of the MemoryCache.
const (
	memoryEntries = 4096
	maxKey        = 4 << 10 // longer links are not remembered
)

// Cache remembers expansions by the clicked link. A shared cache (Redis)
// lets every replica use an expansion one of them made.
type Cache interface {
	// Get returns the expansion remembered for link; false when none is,
	// or when it cannot tell within ctx.
	Get(ctx context.Context, link string) (Expansion, bool)
	// Put remembers e for link for ttl.
	Put(ctx context.Context, link string, e Expansion, ttl time.Duration)
}

// MemoryCache is a Cache in this process's memory: bounded, each entry
// kept until its TTL.
type MemoryCache struct {
	entries *recent.Map[memoryEntry]
}

type memoryEntry struct {
	e       Expansion
	expires time.Time
}

// NewMemoryCache returns an empty MemoryCache.
func NewMemoryCache() *MemoryCache {
	return &MemoryCache{entries: recent.New[memoryEntry](memoryEntries, maxKey)}
}

// Get implements Cache.
func (m *MemoryCache) Get(_ context.Context, link string) (Expansion, bool) {
	entry, ok := m.entries.Get(link)
	if !ok || !time.Now().Before(entry.expires) {
		return Expansion{}, false
	}
	return entry.e, true
}

// Put implements Cache.
func (m *MemoryCache) Put(_ context.Context, link string, e Expansion, ttl time.Duration) {
	m.entries.Put(link, memoryEntry{e: e, expires: time.Now().Add(ttl)})
}

// sharedTimeout bounds a read or write of the shared cache: past it the
// click goes on as if nothing were remembered.
const sharedTimeout = 50 * time.Millisecond

// layered looks an expansion up in memory, then in the shared cache if
// any, and walks only when neither has it; clicks on one link at the same
// moment share one walk.
type layered struct {
	memory          *MemoryCache
	shared          Cache // nil without one
	ttl, failureTTL time.Duration
	walks           singleflight.Group
}

func newLayered(shared Cache, ttl, failureTTL time.Duration) *layered {
	if m, ok := shared.(*MemoryCache); ok {
		return &layered{memory: m, ttl: ttl, failureTTL: failureTTL}
	}
	return &layered{memory: NewMemoryCache(), shared: shared, ttl: ttl, failureTTL: failureTTL}
}

// get returns the expansion of link, remembered or made by walk.
func (c *layered) get(ctx context.Context, link string, walk func() Expansion) Expansion {
	if e, ok := c.memory.Get(ctx, link); ok {
		e.Cached = true
		return e
	}
	v, _, _ := c.walks.Do(link, func() (any, error) {
		if c.shared != nil {
			sctx, cancel := context.WithTimeout(ctx, sharedTimeout)
			e, ok := c.shared.Get(sctx, link)
			cancel()
			if ok {
				c.memory.Put(ctx, link, e, c.ttlOf(e))
				e.Cached = true
				return e, nil
			}
		}
		e := walk()
		c.memory.Put(ctx, link, e, c.ttlOf(e))
		if c.shared != nil {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedTimeout)
			c.shared.Put(sctx, link, e, c.ttlOf(e))
			cancel()
		}
		return e, nil
	})
	return v.(Expansion)
}

// ttlOf is how long e is remembered.
func (c *layered) ttlOf(e Expansion) time.Duration {
	if e.Outcome == Found {
		return c.ttl
	}
	return c.failureTTL
}
