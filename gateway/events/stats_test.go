package events

import (
	"context"
	"testing"
	"time"
)

func TestComputeStats(t *testing.T) {
	sink := NewMemorySink(0)
	now := time.Now()
	old := now.Add(-2 * time.Hour)
	var batch []Event
	add := func(n int, e Event) {
		for range n {
			batch = append(batch, e)
		}
	}
	add(5, Event{Kind: KindDecision, Time: now, Action: "warn", Reasons: []string{"external", "shortener"}, Site: "bit.ly"})
	add(3, Event{Kind: KindDecision, Time: now, Action: "warn", Reasons: []string{"external"}, Site: "evil.example"})
	add(4, Event{Kind: KindDecision, Time: now, Action: "redirect", Site: "blibli.com"})
	add(9, Event{Kind: KindDecision, Time: old, Action: "redirect", Site: "old.example"})
	add(2, Event{Kind: KindContinue, Time: now, Reasons: []string{"external", "shortener"}, Site: "bit.ly"})
	add(1, Event{Kind: KindContinue, Time: now, Reasons: []string{"external"}, Site: "evil.example"})
	add(1, Event{Kind: KindReport, Time: now.Add(-time.Minute), Site: "evil.example", Category: "scam", Comment: "first"})
	add(1, Event{Kind: KindReport, Time: now, Site: "evil.example", Category: "phishing", Comment: "second"})
	if err := sink.Write(context.Background(), batch); err != nil {
		t.Fatal(err)
	}

	st, err := ComputeStats(context.Background(), sink, StatsOptions{Since: now.Add(-time.Hour), TopSites: 2})
	if err != nil {
		t.Fatal(err)
	}
	if st.Decisions != 12 || st.Continues != 3 || st.Reports != 2 || st.Truncated {
		t.Errorf("counts %d/%d/%d truncated %v", st.Decisions, st.Continues, st.Reports, st.Truncated)
	}
	if len(st.TopSites) != 2 || st.TopSites[0] != (SiteCount{"bit.ly", 5}) || st.TopSites[1] != (SiteCount{"blibli.com", 4}) {
		t.Errorf("top sites %+v", st.TopSites)
	}
	want := []ReasonRate{{"external", 8, 3, 3.0 / 8}, {"shortener", 5, 2, 2.0 / 5}}
	if len(st.Reasons) != 2 || st.Reasons[0] != want[0] || st.Reasons[1] != want[1] {
		t.Errorf("reasons %+v, want %+v", st.Reasons, want)
	}
	if len(st.RecentReports) != 2 || st.RecentReports[0].Comment != "second" {
		t.Errorf("recent reports %+v", st.RecentReports)
	}

	st, err = ComputeStats(context.Background(), sink, StatsOptions{MaxEvents: 10})
	if err != nil || !st.Truncated || st.Decisions != 10 {
		t.Errorf("with MaxEvents 10: %d decisions, truncated %v, %v", st.Decisions, st.Truncated, err)
	}
}
