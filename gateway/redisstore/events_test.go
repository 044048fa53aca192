package redisstore

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/internal/redistest"
)

func newEvents(t testing.TB, c redis.UniversalClient, opts EventsOptions) *Events {
	t.Helper()
	e, err := NewEvents(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEventShardsAreBounded(t *testing.T) {
	for _, shards := range []int{-1, MaxEventShards + 1} {
		if _, err := NewEvents(nil, EventsOptions{Shards: shards}); err == nil || !strings.Contains(err.Error(), "event shards") {
			t.Errorf("%d shards: %v", shards, err)
		}
	}
}

// Events go round-robin to their kind's shards, each a stream under its
// own hash tag, and a read merges them newest first, with the events of
// the stream written before the shards.
func TestEventsSpreadOverShardsAndMerge(t *testing.T) {
	srv := redistest.Start(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	t.Cleanup(func() { _ = c.Close() })
	ctx := testCtx(t)
	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	legacy, _ := json.Marshal(events.Event{Kind: events.KindDecision, Time: base, Site: "lama.example"})
	if err := c.XAdd(ctx, &redis.XAddArgs{Stream: "safelink:events:decision", ID: fmt.Sprintf("%d-0", base.UnixMilli()), Values: []any{"event", legacy}}).Err(); err != nil {
		t.Fatal(err)
	}
	s := newEvents(t, c, EventsOptions{Shards: 4})
	var batch []events.Event
	for i := range 12 {
		batch = append(batch, events.Event{Kind: events.KindDecision, Time: time.Now(), Site: fmt.Sprintf("site-%02d.example", i)})
	}
	for _, e := range batch {
		if err := s.Write(ctx, []events.Event{e}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond) // one event a millisecond of Redis's clock at least
	}
	for shard := range 4 {
		key := fmt.Sprintf("safelink:events:decision:{%d}", shard)
		if n := c.XLen(ctx, key).Val(); n != 3 {
			t.Errorf("%s holds %d events, want 3", key, n)
		}
	}
	got, err := s.Recent(ctx, events.KindDecision, time.Time{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 13 || got[12].Site != "lama.example" {
		t.Fatalf("Recent gave %d events: %+v", len(got), got)
	}
	for i, e := range got[:12] {
		if want := fmt.Sprintf("site-%02d.example", 11-i); e.Site != want {
			t.Errorf("event %d is %s, want %s (newest first)", i, e.Site, want)
		}
	}
	newest, err := s.Recent(ctx, events.KindDecision, time.Time{}, 5)
	if err != nil || len(newest) != 5 || newest[0].Site != "site-11.example" || newest[4].Site != "site-07.example" {
		t.Errorf("Recent with limit 5: %+v, %v", newest, err)
	}
}
