package redisstore

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/redistest"
)

// dayOfMinutes is a day of traffic as per-minute counts: every minute has
// the four actions, a dozen reasons warned and clicked through, reports
// and the full SitesKept domains, its counts adding up to perMinute
// decisions.
func dayOfMinutes(end time.Time, perMinute int64) []series.Bucket {
	reasons := []string{"external", "shortener", "messaging", "http", "lookalike", "unverified", "security-team",
		"unsigned", "signal:credential-request", "signal:off-platform-payment", "signal:off-platform-contact", "signal:apk-file"}
	out := make([]series.Bucket, 0, 24*60)
	last := series.StartOf(end, time.Minute)
	for start := last.Add(-24 * time.Hour); start.Before(last); start = start.Add(time.Minute) {
		c := map[series.Key]int64{{Count: series.Continues}: perMinute / 20, {Count: series.Reports}: perMinute / 1000}
		for i, a := range verdict.Actions {
			c[series.Key{Count: series.Decisions, Action: a}] = perMinute / 4
			for s := range series.SitesKept / len(verdict.Actions) {
				c[series.Key{Count: series.Sites, Action: a, Name: fmt.Sprintf("toko-%d-%d.example", i, s)}] = perMinute / 1000
			}
		}
		for _, r := range reasons {
			c[series.Key{Count: series.Warned, Name: r}] = perMinute / 8
			c[series.Key{Count: series.Continued, Name: r}] = perMinute / 200
		}
		out = append(out, series.Bucket{Start: start, Counts: c})
	}
	return out
}

// BenchmarkStatsOfADay reads and adds up a day of counts in Redis (its
// whole hours and the minutes at its edges, series.Total), the work of
// `safelink stats -since 24h` and of the console's overview of a day, with
// a day of 10 thousand to 100 million clicks: the time is the same, since
// a day is the same buckets whatever they count. x-events-read
// is how many times faster that is than reading the newest 100,000 click
// events from the streams, as the statistics did before (measured in the
// same run, on the same server).
func BenchmarkStatsOfADay(b *testing.B) {
	srv := redistest.Start(b)
	client := newClient(b, srv)
	ctx := context.Background()
	baseline := eventsReadTime(b, client)
	for _, perDay := range []int64{10_000, 1_000_000, 100_000_000} {
		b.Run(fmt.Sprintf("clicks=%d", perDay), func(b *testing.B) {
			store := NewSeries(client, SeriesOptions{Prefix: fmt.Sprintf("bench%d", perDay)})
			now := time.Now()
			if err := store.Add(ctx, dayOfMinutes(now, perDay/(24*60))); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				buckets, err := series.Total(ctx, store, now.Add(-24*time.Hour), now)
				if err != nil || len(buckets) < 24 {
					b.Fatalf("read %d buckets: %v", len(buckets), err)
				}
				s := series.Summarize(buckets, now.Add(-24*time.Hour), 10)
				if want := perDay / (24 * 60) / 4 * (24 * 60); s.Actions[verdict.Warn] != want {
					b.Fatalf("the day adds up to %d warnings, want %d", s.Actions[verdict.Warn], want)
				}
			}
			perOp := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(perOp.Microseconds())/1000, "ms/day")
			b.ReportMetric(float64(baseline)/float64(perOp), "x-events-read")
		})
	}
}

// eventsReadTime is the median time of reading the newest 100,000 decision
// events from their streams, which hold that many.
func eventsReadTime(b *testing.B, client redis.UniversalClient) time.Duration {
	b.Helper()
	store, err := NewEvents(client, EventsOptions{Prefix: "benchevents"})
	if err != nil {
		b.Fatal(err)
	}
	const n = 100_000
	now := time.Now()
	batch := make([]events.Event, 1000)
	for i := 0; i < n; i += len(batch) {
		for j := range batch {
			batch[j] = events.Event{Kind: events.KindDecision, Time: now.Add(-time.Duration(i+j) * time.Millisecond), Action: verdict.Warn,
				Reasons: []string{"external"}, Site: fmt.Sprintf("toko-%d.example", j%100), UserHash: "0123456789abcdef0123456789abcdef"}
		}
		if err := store.Write(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	var times []time.Duration
	for range 3 {
		start := time.Now()
		got, err := store.Recent(context.Background(), events.KindDecision, now.Add(-24*time.Hour), n)
		if err != nil || len(got) != n {
			b.Fatalf("read %d events: %v", len(got), err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[1]
}
