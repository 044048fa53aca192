package threat

import (
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

func TestLookupCache(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	lists := now.Add(-time.Minute)
	c := newLookupCache(2, time.Minute)
	c.put("https://a.example/", []verdict.Threat{verdict.ThreatMalware}, lists, now)
	if got, ok := c.get("https://a.example/", lists, now.Add(59*time.Second)); !ok || len(got) != 1 || got[0] != verdict.ThreatMalware {
		t.Errorf("within the TTL: %v, %v", got, ok)
	}
	if _, ok := c.get("https://a.example/", lists, now.Add(time.Minute)); ok {
		t.Error("an answer outlived its TTL")
	}
	if _, ok := c.get("https://a.example/", now, now); ok {
		t.Error("an answer outlived the lists it came from")
	}
	c.put("https://b.example/", nil, lists, now)
	c.put("https://c.example/", nil, lists, now)
	if _, ok := c.get("https://a.example/", lists, now); ok || c.entries.Len() != 1 {
		t.Errorf("the cache grew past its size: %d entries", c.entries.Len())
	}
	long := "https://a.example/" + strings.Repeat("x", cacheKeyMax)
	c.put(long, nil, lists, now)
	if _, ok := c.get(long, lists, now); ok {
		t.Error("a URL longer than the key bound was cached")
	}
	if newLookupCache(-1, time.Minute) != nil || newLookupCache(10, -1) != nil {
		t.Error("a negative size or TTL did not turn the cache off")
	}
	var off *lookupCache
	off.put("x", nil, lists, now)
	if _, ok := off.get("x", lists, now); ok {
		t.Error("an off cache answered")
	}
}
