package gateway

import (
	"net/url"
	"reflect"
	"slices"
	"testing"
	"time"

	safelink "github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/allowlist"
	"github.com/blibli/safelink/gateway/click"
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
	c := newBundleCaches(nil).pages
	for i := range cacheEntries + 1 {
		c.Put(string(rune('a'+i%26))+time.Duration(i).String(), []byte("x"))
	}
	if c.Len() > cacheEntries {
		t.Errorf("the cache holds %d pages", c.Len())
	}
	long := make([]byte, cacheKeyMax+1)
	c.Put(string(long), []byte("x"))
	if _, ok := c.Get(string(long)); ok {
		t.Error("a page with a very long key was cached")
	}
}

func TestRememberedQueryDecidesAsThePolicyAndStaysUnchanged(t *testing.T) {
	lists, err := allowlist.Load(safelink.Allowlist())
	if err != nil {
		t.Fatal(err)
	}
	policy, err := click.NewPolicy(lists, "https://link.blibli.com")
	if err != nil {
		t.Fatal(err)
	}
	var clicks click.Service
	queries := newBundleCaches(nil).queries
	for _, link := range []string{"https://www.blibli.com/", "http://bit.ly/x", "javascript:alert(1)", "https://blibli-promo.example/"} {
		rawQuery := "u=" + url.QueryEscape(link)
		want := policy.Decide(link)
		queries.Put(rawQuery, clicks.DecideQuery(policy, rawQuery))
		first, _ := queries.Get(rawQuery)
		// What the gateway does to each click's verdict must not reach the
		// remembered one.
		_ = first.Verdict.Apply(verdict.Facts{Signature: verdict.Tampered, Threats: []verdict.Threat{verdict.ThreatMalware}})
		if again, _ := queries.Get(rawQuery); !reflect.DeepEqual(again.Verdict, want) || !reflect.DeepEqual(first.Verdict, want) {
			t.Errorf("%s: remembered %+v then %+v, want %+v", link, first.Verdict, again.Verdict, want)
		}
	}
}

func TestVerdictPageKeyHoldsEverythingThePageShows(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 30, 0, time.UTC)
	base := verdict.Verdict{Action: verdict.Warn, Target: "https://a.example/", Site: "a.example", Reasons: []verdict.Reason{verdict.ReasonExternal}}
	changes := map[string]func(v *verdict.Verdict){
		"action":   func(v *verdict.Verdict) { v.Action = verdict.Block },
		"target":   func(v *verdict.Verdict) { v.Target = "https://a.example/b" },
		"site":     func(v *verdict.Verdict) { v.Site = "b.example" },
		"imitates": func(v *verdict.Verdict) { v.Imitates = "blibli.com" },
		"problem":  func(v *verdict.Verdict) { v.Problem = "scheme" },
		"reasons":  func(v *verdict.Verdict) { v.Reasons = append(v.Reasons, verdict.ReasonInsecure) },
		"threats":  func(v *verdict.Verdict) { v.Threats = []verdict.Threat{verdict.ThreatMalware} },
		"rule":     func(v *verdict.Verdict) { v.Rule = &verdict.Rule{Action: verdict.RuleWarn} },
		"note":     func(v *verdict.Verdict) { v.Rule = &verdict.Rule{Action: verdict.RuleWarn, Reason: "kampanye"} },
		"signed":   func(v *verdict.Verdict) { v.Signed = true },
	}
	key := verdictPageKey(pageWarn, 200, &base, now)
	if again := verdictPageKey(pageWarn, 200, &base, now.Add(29*time.Second)); again != key {
		t.Error("the key changes within the minute the tokens are made in")
	}
	if next := verdictPageKey(pageWarn, 200, &base, now.Add(30*time.Second)); next == key {
		t.Error("the key stays the same in the next minute, whose tokens expire later")
	}
	if other := verdictPageKey(pageBlock, 403, &base, now); other == key {
		t.Error("two pages of one verdict share a key")
	}
	seen := map[string]string{key: "base"}
	for name, change := range changes {
		v := base
		v.Reasons = slices.Clone(base.Reasons)
		change(&v)
		k := verdictPageKey(pageWarn, 200, &v, now)
		if first, dup := seen[k]; dup {
			t.Errorf("a verdict with another %s has the key of %s", name, first)
		}
		seen[k] = name
	}
}
