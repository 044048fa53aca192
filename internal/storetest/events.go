package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/events"
)

func testEvents(t *testing.T, open Open) {
	replica := open(t)
	writer, reader := replica(), replica()
	now := time.Now().UTC().Truncate(time.Millisecond)
	batch := []events.Event{
		{Kind: events.KindDecision, Time: now.Add(-2 * time.Hour), Action: "redirect", Site: "old.example"},
		{Kind: events.KindDecision, Time: now, Action: "warn", Reasons: []string{"external", "shortener"}, Site: "bit.ly", Signed: true, UserHash: "u1"},
		{Kind: events.KindReport, Time: now, Site: "evil.example", Category: "scam", Comment: "minta transfer di luar Blibli", UserHash: "u2"},
		{Kind: events.KindDecision, Time: now.Add(time.Millisecond), Action: "block", Reasons: []string{"rule"}, Site: "evil.example"},
	}
	if err := writer.Events.Write(ctx(t), batch); err != nil {
		t.Fatal(err)
	}
	got, err := reader.Events.Recent(ctx(t), events.KindDecision, time.Time{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Site != "evil.example" || got[2].Site != "old.example" {
		t.Fatalf("Recent decisions = %+v, want 3 newest first", got)
	}
	if g := got[1]; !g.Time.Equal(now) || g.Action != "warn" || len(g.Reasons) != 2 || g.Reasons[1] != "shortener" || !g.Signed || g.UserHash != "u1" {
		t.Errorf("event read back as %+v", g)
	}
	if got, _ := reader.Events.Recent(ctx(t), events.KindDecision, now.Add(-time.Hour), 10); len(got) != 2 {
		t.Errorf("since an hour ago: %d decisions, want 2", len(got))
	}
	if got, _ := reader.Events.Recent(ctx(t), events.KindDecision, time.Time{}, 1); len(got) != 1 || got[0].Action != "block" {
		t.Errorf("limit 1: %+v", got)
	}
	reports, _ := reader.Events.Recent(ctx(t), events.KindReport, time.Time{}, 10)
	if len(reports) != 1 || reports[0].Comment != batch[2].Comment || reports[0].Category != "scam" {
		t.Errorf("reports %+v", reports)
	}
	if got, _ := reader.Events.Recent(ctx(t), events.KindContinue, time.Time{}, 10); len(got) != 0 {
		t.Errorf("continues %+v, want none", got)
	}

	q := events.NewQueue(writer.Events, events.QueueOptions{BatchSize: 7, FlushEvery: 5 * time.Millisecond})
	for range 50 {
		q.Enqueue(events.Event{Kind: events.KindContinue, Reasons: []string{"external"}, Site: "bit.ly"})
	}
	closeCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := q.Close(closeCtx); err != nil {
		t.Fatal(err)
	}
	if got, _ := reader.Events.Recent(ctx(t), events.KindContinue, time.Time{}, 100); len(got) != 50 || q.Stats().Written != 50 {
		t.Errorf("through a queue: %d stored, stats %+v", len(got), q.Stats())
	}
}
