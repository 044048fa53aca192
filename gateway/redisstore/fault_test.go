package redisstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/redistest"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitUntil polls cond for up to ten seconds: a reconnect may wait out a
// backoff of several seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("not within 10s: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func addBlock(t *testing.T, s *Rules, domain string) rules.Rule {
	t.Helper()
	r, err := s.Add(testCtx(t), blockRuleFor(domain))
	if err != nil {
		t.Fatalf("adding %s: %v", domain, err)
	}
	return r
}

// blockRuleFor is a rule blocking domain.
func blockRuleFor(domain string) rules.Rule {
	return rules.Rule{Match: rules.MatchDomain, Value: domain, Action: verdict.RuleBlock, Reason: "test", Author: "test"}
}

func runSyncer(t *testing.T, s rules.Store) *rules.Syncer {
	t.Helper()
	syncer := rules.NewSyncer(s, rules.SyncerOptions{Resync: time.Hour, CallTimeout: time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		syncer.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	waitUntil(t, "first load", func() bool { return !syncer.State().LastSync.IsZero() })
	return syncer
}

func matches(s *rules.Syncer, domain string) bool {
	_, ok := s.Match(domain, "https://"+domain+"/", time.Now())
	return ok
}

func TestSyncerRidesOutARedisRestart(t *testing.T) {
	srv := redistest.Start(t)
	writer := NewRules(newClient(t, srv), RulesOptions{})
	addBlock(t, writer, "before.example.com")
	syncer := runSyncer(t, NewRules(newClient(t, srv), RulesOptions{}))
	if !matches(syncer, "before.example.com") {
		t.Fatal("the first load missed the rule")
	}
	// The subscription's confirmation asks for a second full load; a
	// change seen through pub/sub comes after it, so the full loads are
	// over once a probe rule has come and gone.
	probe := addBlock(t, writer, "probe.example.com")
	waitUntil(t, "the probe applied", func() bool { return matches(syncer, "probe.example.com") })
	if _, err := writer.Remove(testCtx(t), probe.ID, rules.Removal{Author: "test", Why: "probe"}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the probe removed", func() bool { return !matches(syncer, "probe.example.com") })
	synced := syncer.State().LastSync

	srv.Stop()
	waitUntil(t, "the outage reported", func() bool { return syncer.State().LastError != nil })
	st := syncer.State()
	if !matches(syncer, "before.example.com") || st.Rules != 1 || !st.LastSync.Equal(synced) {
		t.Fatalf("during the outage: state %+v, still matching %v", st, matches(syncer, "before.example.com"))
	}
	t.Logf("reported during the outage: %v", st.LastError)

	srv.Restart() // empty: the test server keeps nothing on disk
	addBlock(t, writer, "meanwhile.example.com")
	waitUntil(t, "the rule added meanwhile applied", func() bool { return matches(syncer, "meanwhile.example.com") })
	waitUntil(t, "back in sync", func() bool { return syncer.State().LastError == nil })
	if st := syncer.State(); !st.LastSync.After(synced) || matches(syncer, "before.example.com") || st.Rules != 1 {
		t.Errorf("after the restart: state %+v; the copy must now be the restarted server's", st)
	}

	addBlock(t, writer, "after.example.com")
	waitUntil(t, "changes flow again", func() bool { return matches(syncer, "after.example.com") })
}

func TestSyncerStartsWhileRedisIsDown(t *testing.T) {
	srv := redistest.Start(t)
	srv.Stop()
	syncer := rules.NewSyncer(NewRules(newClient(t, srv), RulesOptions{}), rules.SyncerOptions{Resync: time.Hour, CallTimeout: time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		syncer.Run(ctx)
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitUntil(t, "the failure reported", func() bool { return syncer.State().LastError != nil })
	select {
	case <-syncer.Loaded():
		t.Fatal("loaded with Redis down")
	default:
	}
	if matches(syncer, "any.example.com") || syncer.RuleSet().Len() != 0 {
		t.Error("rules without a load")
	}

	srv.Restart()
	addBlock(t, NewRules(newClient(t, srv), RulesOptions{}), "late.example.com")
	select {
	case <-syncer.Loaded():
	case <-time.After(10 * time.Second):
		t.Fatalf("not loaded within 10s of Redis starting: %+v", syncer.State())
	}
	waitUntil(t, "the rule applied", func() bool { return matches(syncer, "late.example.com") })
}

// The audit stream is trimmed by age, not by length: an entry older than
// the retention is gone once a change is written, a recent one stays
// however many follow it, and an entry written before changes had an
// author still reads, its by as the note.
func TestAuditStreamIsTrimmedByAge(t *testing.T) {
	srv := redistest.Start(t)
	c := newClient(t, srv)
	s := NewRules(c, RulesOptions{Prefix: "aged"})
	const stream = "aged:{rules}:audit"
	plant := func(age time.Duration, revision int) {
		t.Helper()
		id := fmt.Sprintf("%d-0", time.Now().Add(-age).UnixMilli())
		change := fmt.Sprintf(`{"revision":%d,"op":"add","rule":{"id":"%016d","match":"domain","value":"lama%d.example.com",`+
			`"action":"block","reason":"lama","created_by":"alice","created_at":"2025-01-01T00:00:00Z"},"by":"alice","why":"lama","time":"2025-01-01T00:00:00Z"}`,
			revision, revision, revision)
		if err := c.XAdd(testCtx(t), &redis.XAddArgs{Stream: stream, ID: id, Values: []any{"change", change}}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	plant(rules.DefaultAuditRetention+24*time.Hour, 1)
	plant(rules.DefaultAuditRetention-24*time.Hour, 2)
	if err := c.Set(testCtx(t), "aged:{rules}:revision", 2, 0).Err(); err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		addBlock(t, s, fmt.Sprintf("site%d.example.com", i))
	}
	if n, err := c.XLen(testCtx(t), stream).Result(); err != nil || n != 301 {
		t.Errorf("the audit stream holds %d entries, %v; want the 300 changes and the one within the retention", n, err)
	}
	all, err := s.Audit(testCtx(t), 1000)
	if err != nil || len(all) != 301 {
		t.Fatalf("Audit = %d changes, %v", len(all), err)
	}
	if oldest := all[300]; oldest.Revision != 2 || oldest.Author != "" || oldest.Note != "alice" || oldest.Rule.CreatedBy != "alice" {
		t.Errorf("the oldest change kept: %+v; want revision 2, by alice as its note", oldest)
	}
	if newest := all[0]; newest.Revision != 302 || newest.Author != "test" {
		t.Errorf("the newest change: %+v", newest)
	}
}

func TestLimiterIsSharedByReplicas(t *testing.T) {
	srv := redistest.Start(t)
	limit := ratelimit.Limit{Every: time.Minute, Burst: 3}
	a := NewLimiter(newClient(t, srv), "report", limit, LimiterOptions{})
	b := NewLimiter(newClient(t, srv), "report", limit, LimiterOptions{})
	for i, l := range []*Limiter{a, b, a} {
		if ok, _, err := l.Allow(testCtx(t), "user"); !ok || err != nil {
			t.Fatalf("action %d of the shared burst: %v, %v", i+1, ok, err)
		}
	}
	for _, l := range []*Limiter{a, b} {
		if ok, retry, err := l.Allow(testCtx(t), "user"); ok || err != nil || retry < 59*time.Second {
			t.Errorf("past the shared burst: %v, retry %v, %v", ok, retry, err)
		}
	}
}

func TestLimiterFallsBackDuringAnOutage(t *testing.T) {
	srv := redistest.Start(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr(), MaxRetries: -1})
	t.Cleanup(func() { _ = c.Close() })
	l := NewLimiter(c, "report", ratelimit.Limit{Every: time.Minute, Burst: 2}, LimiterOptions{Cooldown: 20 * time.Millisecond})
	if ok, _, err := l.Allow(testCtx(t), "user"); !ok || err != nil {
		t.Fatalf("with Redis up: %v, %v", ok, err)
	}

	srv.Stop()
	start := time.Now()
	for i := range 2 {
		if ok, _, err := l.Allow(testCtx(t), "user"); !ok || err == nil {
			t.Fatalf("action %d during the outage: %v, %v; want allowed locally with the error", i+1, ok, err)
		}
	}
	ok, retry, err := l.Allow(testCtx(t), "user")
	if ok || err == nil || retry <= 0 {
		t.Errorf("past the local burst: %v, retry %v, %v", ok, retry, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("three decisions during the outage took %v", d)
	}

	srv.Restart()
	waitUntil(t, "limiting through Redis again", func() bool {
		_, _, err := l.Allow(testCtx(t), "other")
		return err == nil
	})
}

func TestQueueRetriesUntilRedisIsBack(t *testing.T) {
	srv := redistest.Start(t)
	c := redis.NewClient(&redis.Options{Addr: srv.Addr(), MaxRetries: -1})
	t.Cleanup(func() { _ = c.Close() })
	sink := newEvents(t, c, EventsOptions{})
	q := events.NewQueue(sink, events.QueueOptions{BatchSize: 5, FlushEvery: 5 * time.Millisecond,
		Retries: 100, RetryBackoff: 20 * time.Millisecond})

	srv.Stop()
	for range 10 {
		q.Enqueue(events.Event{Kind: events.KindReport, Site: "evil.example", Category: "scam"})
	}
	waitUntil(t, "a failed write", func() bool { return q.Stats().WriteErrors > 0 })
	srv.Restart()
	waitUntil(t, "everything written", func() bool { return q.Stats().Written == 10 })
	if err := q.Close(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	stored, err := sink.Recent(testCtx(t), events.KindReport, time.Time{}, 100)
	if err != nil || len(stored) != 10 {
		t.Errorf("%d reports stored, %v; want 10", len(stored), err)
	}
	if st := q.Stats(); st.Failed != 0 || st.Dropped != 0 {
		t.Errorf("stats %+v", st)
	}
}
