package threat

import (
	"time"

	"github.com/blibli/safelink/gateway/recent"
	"github.com/blibli/safelink/gateway/verdict"
)

// Defaults of the lookup cache.
const (
	DefaultCacheSize = 10_000
	DefaultCacheTTL  = time.Minute
)

// cacheKeyMax bounds the URLs the lookup cache keeps, in bytes, so that a
// full cache of very long links cannot hold much memory; a longer URL is
// looked up each time.
const cacheKeyMax = 2 << 10

// lookupCache remembers the answers of recent lookups, so that a link that
// many people tap in a short time is hashed and looked up once: the
// library's URL canonicalization costs more than all the rest of a click.
// An answer holds until its TTL runs out or the lists change, whichever
// comes first, so a URL newly listed is blocked no later than the next list
// update would block it anyway plus the TTL.
type lookupCache struct {
	ttl     time.Duration
	entries *recent.Map[cached]
}

type cached struct {
	types   []verdict.Threat
	lists   time.Time // when the lists answering were loaded
	expires time.Time
}

func newLookupCache(size int, ttl time.Duration) *lookupCache {
	if size <= 0 || ttl <= 0 {
		return nil
	}
	return &lookupCache{ttl: ttl, entries: recent.New[cached](size, cacheKeyMax)}
}

// get returns the cached answer for url from lists loaded at lists.
func (c *lookupCache) get(url string, lists, now time.Time) ([]verdict.Threat, bool) {
	if c == nil {
		return nil, false
	}
	e, ok := c.entries.Get(url)
	if !ok || !e.lists.Equal(lists) || !now.Before(e.expires) {
		return nil, false
	}
	return e.types, true
}

// put remembers an answer for the cache's TTL; a full cache starts over.
func (c *lookupCache) put(url string, types []verdict.Threat, lists, now time.Time) {
	c.putUntil(url, types, lists, now, time.Time{})
}

// putUntil remembers an answer for the cache's TTL, and no later than
// until when it is not zero: a listing holds only until its expiry.
func (c *lookupCache) putUntil(url string, types []verdict.Threat, lists, now, until time.Time) {
	if c == nil {
		return
	}
	expires := now.Add(c.ttl)
	if !until.IsZero() && until.Before(expires) {
		expires = until
	}
	c.entries.Put(url, cached{types: types, lists: lists, expires: expires})
}
