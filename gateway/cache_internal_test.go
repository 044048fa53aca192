package gateway

import (
	"reflect"
	"testing"
	"time"

	safelink "github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/allowlist"
	"github.com/blibli/safelink/gateway/verdict"
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
	c := newBoundedCache[[]byte]()
	for i := range cacheEntries + 1 {
		c.put(string(rune('a'+i%26))+time.Duration(i).String(), []byte("x"))
	}
	if len(c.entries) > cacheEntries {
		t.Errorf("the cache holds %d pages", len(c.entries))
	}
	long := make([]byte, cacheKeyMax+1)
	c.put(string(long), []byte("x"))
	if _, ok := c.get(string(long)); ok {
		t.Error("a page with a very long key was cached")
	}
}

func TestCachedPolicyDecidesAsThePolicyAndStaysUnchanged(t *testing.T) {
	lists, err := allowlist.Load(safelink.Allowlist())
	if err != nil {
		t.Fatal(err)
	}
	policy, err := NewPolicy(lists, "https://link.blibli.com")
	if err != nil {
		t.Fatal(err)
	}
	cached := cachedPolicy{policy, newBoundedCache[verdict.Verdict]()}
	for _, link := range []string{"https://www.blibli.com/", "http://bit.ly/x", "javascript:alert(1)", "https://blibli-promo.example/"} {
		want := policy.Decide(link)
		first := cached.Decide(link)
		// What the gateway does to each click's verdict must not reach the
		// remembered one.
		_ = first.Apply(verdict.Facts{Signature: verdict.Tampered, Threats: []verdict.Threat{verdict.ThreatMalware}})
		if again := cached.Decide(link); !reflect.DeepEqual(again, want) || !reflect.DeepEqual(first, want) {
			t.Errorf("%s: cached %+v then %+v, want %+v", link, first, again, want)
		}
	}
}
