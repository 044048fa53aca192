package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/gateway/verdict"
)

func testSeries(t *testing.T, open Open) {
	t.Run("add and read", func(t *testing.T) { testSeriesAddAndRead(t, open) })
	t.Run("sites bounded", func(t *testing.T) { testSeriesSitesBounded(t, open) })
	t.Run("expiry", func(t *testing.T) { testSeriesExpiry(t, open) })
	t.Run("replicas recording at once", func(t *testing.T) { testSeriesConcurrentReplicas(t, open) })
}

// readAll reads the minutes of the last hour.
func readAll(t *testing.T, s series.Store) []series.Bucket {
	t.Helper()
	got, err := s.Read(ctx(t), time.Minute, time.Now().Add(-time.Hour), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func testSeriesAddAndRead(t *testing.T, open Open) {
	replica := open(t)
	a, b := replica().NewSeries(time.Hour), replica().NewSeries(time.Hour)
	now := series.StartOf(time.Now(), time.Minute)
	warn := series.Key{Count: series.Decisions, Action: verdict.Warn}
	shop := series.Key{Count: series.Sites, Action: verdict.Warn, Name: "shop.example"}
	external := series.Key{Count: series.Warned, Name: "threat:malware"}
	if err := a.Add(ctx(t), []series.Bucket{
		{Start: now.Add(-2 * time.Minute), Counts: map[series.Key]int64{warn: 1}},
		{Start: now.Add(17 * time.Second), Counts: map[series.Key]int64{warn: 2, shop: 2, external: 2, {Count: series.Reports}: 1}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(ctx(t), []series.Bucket{{Start: now, Counts: map[series.Key]int64{warn: 3, shop: 3, {Count: series.Continues}: 1}}}); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, a)
	if len(got) != 2 || !got[0].Start.Equal(now.Add(-2*time.Minute)) || !got[1].Start.Equal(now) {
		t.Fatalf("read %+v, want the two minutes with counts, oldest first", got)
	}
	want := map[series.Key]int64{warn: 5, shop: 5, external: 2, {Count: series.Reports}: 1, {Count: series.Continues}: 1}
	if fmt.Sprint(got[1].Counts) != fmt.Sprint(want) {
		t.Errorf("the minute of two replicas reads %v, want %v", got[1].Counts, want)
	}
	if only, _ := b.Read(ctx(t), time.Minute, now, now.Add(59*time.Second)); len(only) != 1 || only[0].Counts[warn] != 5 {
		t.Errorf("reading one minute: %+v", only)
	}
	hours, err := b.Read(ctx(t), time.Hour, now.Add(-2*time.Minute), now)
	var hourly int64
	for _, h := range hours {
		hourly += h.Counts[warn]
	}
	if err != nil || hourly != 6 || !hours[len(hours)-1].Start.Equal(series.StartOf(now, time.Hour)) {
		t.Errorf("the hours hold %d warnings, want 6: %+v, %v", hourly, hours, err)
	}
	if _, err := b.Read(ctx(t), time.Minute, now, now.Add(-time.Minute)); !errors.Is(err, series.ErrRange) {
		t.Errorf("a read ending before its start: %v", err)
	}
	if _, err := b.Read(ctx(t), 24*time.Hour, now, now); !errors.Is(err, series.ErrSpan) {
		t.Errorf("a read of days: %v", err)
	}
	if got, err := b.Read(ctx(t), time.Minute, now.Add(-100*365*24*time.Hour), now); err != nil || len(got) != 2 {
		t.Errorf("a read of a century: %d minutes, %v", len(got), err)
	}
}

// Sites with distinct counts given at once keep the SitesKept most
// clicked, whatever the order, and every action's total stays whole.
func testSeriesSitesBounded(t *testing.T, open Open) {
	s := open(t)().NewSeries(time.Hour)
	now := series.StartOf(time.Now(), time.Minute)
	counts := map[series.Key]int64{}
	const sites = 3 * series.SitesKept
	for i := 1; i <= sites; i++ {
		counts[series.Key{Count: series.Sites, Action: verdict.Block, Name: fmt.Sprintf("s%03d.example", i)}] = int64(i)
	}
	counts[series.Key{Count: series.Decisions, Action: verdict.Block}] = sites * (sites + 1) / 2
	if err := s.Add(ctx(t), []series.Bucket{{Start: now, Counts: counts}}); err != nil {
		t.Fatal(err)
	}
	// A flood of domains clicked once each, in a second write.
	flood := map[series.Key]int64{}
	for i := range 2 * series.SitesKept {
		flood[series.Key{Count: series.Sites, Action: verdict.Block, Name: fmt.Sprintf("flood%03d.example", i)}] = 1
	}
	if err := s.Add(ctx(t), []series.Bucket{{Start: now, Counts: flood}}); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, s)
	if len(got) != 1 {
		t.Fatalf("read %d minutes", len(got))
	}
	kept := 0
	for k, n := range got[0].Counts {
		if k.Count != series.Sites {
			continue
		}
		kept++
		if n <= sites-series.SitesKept {
			t.Errorf("%s kept with %d clicks; the %d most clicked should stay", k.Name, n, series.SitesKept)
		}
	}
	if kept != series.SitesKept {
		t.Errorf("%d sites kept, want %d", kept, series.SitesKept)
	}
	if got[0].Counts[series.Key{Count: series.Decisions, Action: verdict.Block}] != sites*(sites+1)/2 {
		t.Errorf("the total of blocks changed: %v", got[0].Counts)
	}
}

// A minute is gone its retention after its end.
func testSeriesExpiry(t *testing.T, open Open) {
	now := time.Now()
	end := series.StartOf(now, time.Minute)
	start := end.Add(-time.Minute)
	s := open(t)().NewSeries(now.Sub(end) + 2*time.Second)
	key := series.Key{Count: series.Reports}
	if err := s.Add(ctx(t), []series.Bucket{
		{Start: start, Counts: map[series.Key]int64{key: 1}},
		{Start: start.Add(-10 * time.Minute), Counts: map[series.Key]int64{key: 1}}, // past its retention already
	}); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, s); len(got) != 1 || !got[0].Start.Equal(start) {
		t.Fatalf("read %+v before the expiry, want the current minute alone", got)
	}
	eventually(t, "the minute expired", func() bool { return len(readAll(t, s)) == 0 })

	// Minutes are kept for MinuteRetention at most, hours for the store's
	// retention.
	week := open(t)().NewSeries(series.DefaultRetention)
	old := series.StartOf(now.Add(-series.MinuteRetention-time.Hour), time.Minute)
	if err := week.Add(ctx(t), []series.Bucket{{Start: old, Counts: map[series.Key]int64{key: 1}}}); err != nil {
		t.Fatal(err)
	}
	if got, err := week.Read(ctx(t), time.Minute, old, now); err != nil || len(got) != 0 {
		t.Errorf("a minute past MinuteRetention read back: %+v, %v", got, err)
	}
	if got, err := week.Read(ctx(t), time.Hour, old, now); err != nil || len(got) != 1 || got[0].Counts[key] != 1 {
		t.Errorf("its hour reads %+v, %v; want its report", got, err)
	}
}

// Replicas record at once, each with its own Recorder fed by many
// writers: the store holds every event exactly once.
func testSeriesConcurrentReplicas(t *testing.T, open Open) {
	replica := open(t)
	const replicas, writers, batches, batchSize = 3, 4, 25, 20
	now := time.Now()
	var wg sync.WaitGroup
	for range replicas {
		rec := series.NewRecorder(replica().NewSeries(time.Hour), series.RecorderOptions{FlushEvery: 5 * time.Millisecond})
		var feeders sync.WaitGroup
		for range writers {
			feeders.Go(func() {
				for range batches {
					batch := make([]events.Event, batchSize)
					for i := range batch {
						batch[i] = events.Event{Kind: events.KindDecision, Time: now, Action: verdict.Warn, Reasons: []string{"external"}, Site: "shop.example"}
					}
					rec.Tally(batch)
				}
			})
		}
		wg.Go(func() {
			feeders.Wait()
			closeCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := rec.Close(closeCtx); err != nil {
				t.Error(err)
			}
			if st := rec.Stats(); st.Failures != 0 || st.Pending != 0 {
				t.Errorf("recorder stats %+v", st)
			}
		})
	}
	wg.Wait()
	got := readAll(t, replica().NewSeries(time.Hour))
	const want = replicas * writers * batches * batchSize
	if len(got) != 1 {
		t.Fatalf("read %d minutes, want 1", len(got))
	}
	for _, k := range []series.Key{{Count: series.Decisions, Action: verdict.Warn}, {Count: series.Warned, Name: "external"},
		{Count: series.Sites, Action: verdict.Warn, Name: "shop.example"}} {
		if n := got[0].Counts[k]; n != want {
			t.Errorf("%s = %d, want %d", k.Field(), n, want)
		}
	}
}
