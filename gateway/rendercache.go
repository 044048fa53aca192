package gateway

import "sync"

// Bounds of the cache of rendered pages.
const (
	renderCacheEntries = 512
	renderCacheKeyMax  = 4 << 10 // longer keys (very long URLs) are not cached
)

// renderCache keeps the HTML of recently rendered pages, by every field of
// their data, so that a link many people tap in the same minute (a hot
// campaign link) is rendered once. It belongs to one loaded bundle: a
// reload starts with an empty cache.
type renderCache struct {
	mu    sync.RWMutex
	pages map[string][]byte
}

func newRenderCache() *renderCache {
	return &renderCache{pages: make(map[string][]byte)}
}

func (c *renderCache) get(key string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	html, ok := c.pages[key]
	return html, ok
}

// put remembers a page. A full cache starts over, which keeps memory
// bounded without bookkeeping on every hit; the pages in use come back at
// once.
func (c *renderCache) put(key string, html []byte) {
	if len(key) > renderCacheKeyMax {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pages) >= renderCacheEntries {
		clear(c.pages)
	}
	c.pages[key] = html
}
