package gateway_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/adminapi"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// The statistics count every click of a flood of domains clicked once
// each, yet keep the domains clicked most by name: a campaign cannot hide
// its domain by sending people to many others.
func TestStatsKeepTheMostClickedDomainsThroughAFlood(t *testing.T) {
	s := newSharedGateway(t, 100)
	s.addRule(t, rules.Rule{Match: rules.MatchDomain, Value: "kampanye-palsu.com", Action: verdict.RuleBlock, Reason: "phishing", Author: "alice"})
	h, internal := s.Public(), s.Internal()
	click := func(link string, want int) {
		if r := do(t, h, http.MethodGet, goURL(link)); r.status != want {
			t.Fatalf("%s: %d, want %d", link, r.status, want)
		}
	}
	for i := range 1000 {
		click(fmt.Sprintf("https://iklan-%d.com/", i), http.StatusOK)
		if i%50 == 0 {
			click("https://toko-asli.id/sepatu", http.StatusOK)
		}
		if i%33 == 0 {
			click("https://promo.kampanye-palsu.com/hadiah", http.StatusForbidden)
		}
	}
	const clicks = 1000 + 20 + 31
	var stats adminapi.Stats
	for deadline := time.Now().Add(5 * time.Second); stats.Decisions < clicks; time.Sleep(10 * time.Millisecond) {
		r := adminRequest(t, internal, http.MethodGet, "/admin/v1/stats?since=1h&top=2", "", adminToken)
		if err := json.Unmarshal([]byte(r.body), &stats); r.status != http.StatusOK || err != nil {
			t.Fatalf("stats: %d %s", r.status, r.body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d clicks in the stats after 5s", stats.Decisions, clicks)
		}
	}
	want := []struct {
		site                    string
		clicks, warned, blocked int64
	}{{"kampanye-palsu.com", 31, 0, 31}, {"toko-asli.id", 20, 20, 0}}
	if len(stats.TopSites) != len(want) {
		t.Fatalf("top sites %+v, want 2", stats.TopSites)
	}
	for i, w := range want {
		if got := stats.TopSites[i]; got.Site != w.site || got.Clicks != w.clicks || got.Warned != w.warned || got.Blocked != w.blocked {
			t.Errorf("top site %d: %+v, want %+v", i, got, w)
		}
	}
	if stats.Decisions != clicks || stats.Actions[verdict.Block] != 31 || stats.Actions[verdict.Warn] != 1020 {
		t.Errorf("%d clicks by action %v, want %d: 31 blocked, 1020 warned", stats.Decisions, stats.Actions, clicks)
	}
	// Each minute keeps 100 domains by name; the test's clicks fall in one
	// or two minutes.
	if stats.OtherClicks < clicks-51-2*100 {
		t.Errorf("%d clicks counted as other domains, want the flood's", stats.OtherClicks)
	}
}
