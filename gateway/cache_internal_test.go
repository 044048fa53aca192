package gateway

import (
	"testing"
	"time"
)

func TestExpiryIsTheSameWithinAMinute(t *testing.T) {
	base := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	first, last := expiry(base, 15*time.Minute), expiry(base.Add(59*time.Second), 15*time.Minute)
	if !first.Equal(last) || first.Sub(base) < 15*time.Minute || first.Sub(base) > 16*time.Minute {
		t.Errorf("expiry %v and %v for one minute of pages", first, last)
	}
	if next := expiry(base.Add(time.Minute), 15*time.Minute); !next.After(first) {
		t.Errorf("the next minute's expiry %v is not later than %v", next, first)
	}
}

func TestRenderCacheKeysEveryField(t *testing.T) {
	p := Page{Page: "warn", Status: 200, Site: "a.id", Reasons: []string{"external"}}
	q := p
	q.Reasons = []string{"external", "insecure"}
	r := p
	r.ContinueToken = "t"
	if p.cacheKey() == q.cacheKey() || p.cacheKey() == r.cacheKey() {
		t.Error("pages with different data share a cache key")
	}
	c := newRenderCache()
	for i := range renderCacheEntries + 1 {
		c.put(string(rune('a'+i%26))+time.Duration(i).String(), []byte("x"))
	}
	if len(c.pages) > renderCacheEntries {
		t.Errorf("the cache holds %d pages", len(c.pages))
	}
	long := make([]byte, renderCacheKeyMax+1)
	c.put(string(long), []byte("x"))
	if _, ok := c.get(string(long)); ok {
		t.Error("a page with a very long key was cached")
	}
}
