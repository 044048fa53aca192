package series

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/verdict"
)

func TestFieldRoundTrips(t *testing.T) {
	keys := []Key{
		{Count: Decisions, Action: verdict.Redirect},
		{Count: Warned, Name: "external"},
		{Count: Warned, Name: "threat:malware"},
		{Count: Continues},
		{Count: Continued, Name: "shortener"},
		{Count: Reports},
		{Count: Sites, Action: verdict.Block, Name: "evil.example"},
		{Count: Sites, Action: verdict.Warn, Name: "a b:c"},
	}
	for _, k := range keys {
		got, err := ParseField(k.Field())
		if err != nil || got != k {
			t.Errorf("ParseField(%q) = %+v, %v; want %+v", k.Field(), got, err, k)
		}
	}
	for _, bad := range []string{"", "decision", "decision:explode", "warned", "warned:", "report:x", "continue:", "site:warn", "site:warn ",
		"site:nuke evil.example", "clicks:warn", "site"} {
		if k, err := ParseField(bad); err == nil {
			t.Errorf("ParseField(%q) = %+v, want an error", bad, k)
		}
	}
}

// A field that parses is the field of the key it parses to, so that no two
// fields in Redis name one counter.
func FuzzParseField(f *testing.F) {
	for _, s := range []string{"decision:warn", "warned:external", "continue", "continued:threat:malware", "report", "site:block evil.example", "site:warn  x", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, field string) {
		k, err := ParseField(field)
		if err != nil {
			return
		}
		if k.Field() != field {
			t.Errorf("ParseField(%q) = %+v, whose field is %q", field, k, k.Field())
		}
	})
}

// A minute keeps SitesKept sites at most: a domain clicked often
// stays through a flood of domains clicked once each.
func TestTallyKeepsTheMostClickedSites(t *testing.T) {
	tl := newTally()
	for i := range 50 * SitesKept {
		tl.fold(&events.Event{Kind: events.KindDecision, Action: verdict.Warn, Site: fmt.Sprintf("junk%d.example", i)})
		if i%10 == 0 {
			tl.fold(&events.Event{Kind: events.KindDecision, Action: verdict.Block, Site: "scam.example"})
		}
	}
	sites := 0
	for k := range tl.counts {
		if k.Count == Sites {
			sites++
		}
	}
	if sites != SitesKept || tl.sites != SitesKept {
		t.Errorf("%d sites kept (tally says %d), want %d", sites, tl.sites, SitesKept)
	}
	if n := tl.counts[Key{Count: Sites, Action: verdict.Block, Name: "scam.example"}]; n != 5*SitesKept {
		t.Errorf("scam.example has %d clicks, want %d", n, 5*SitesKept)
	}
	if n := tl.counts[Key{Count: Decisions, Action: verdict.Warn}]; n != 50*SitesKept {
		t.Errorf("the warn total is %d, want %d", n, 50*SitesKept)
	}
}

func TestTallyFoldsEachKind(t *testing.T) {
	tl := newTally()
	for _, e := range []events.Event{
		{Kind: events.KindDecision, Action: verdict.Warn, Reasons: []string{"external", "shortener", ""}, Site: "bit.ly"},
		{Kind: events.KindDecision, Action: verdict.Block, Reasons: []string{"threat:malware"}, Site: "evil.example"},
		{Kind: events.KindDecision, Action: verdict.Invalid},
		{Kind: events.KindDecision, Action: "explode", Site: "x.example"},
		{Kind: events.KindContinue, Action: verdict.Warn, Reasons: []string{"external"}, Site: "bit.ly"},
		{Kind: events.KindReport, Site: "evil.example", Comment: "minta OTP"},
	} {
		tl.fold(&e)
	}
	want := map[Key]int64{
		{Count: Decisions, Action: verdict.Warn}: 1, {Count: Decisions, Action: verdict.Block}: 1, {Count: Decisions, Action: verdict.Invalid}: 1,
		{Count: Warned, Name: "external"}: 1, {Count: Warned, Name: "shortener"}: 1,
		{Count: Sites, Action: verdict.Warn, Name: "bit.ly"}: 1, {Count: Sites, Action: verdict.Block, Name: "evil.example"}: 1,
		{Count: Continues}: 1, {Count: Continued, Name: "external"}: 1, {Count: Reports}: 1,
	}
	if fmt.Sprint(tl.counts) != fmt.Sprint(want) {
		t.Errorf("counts %v\nwant   %v", tl.counts, want)
	}
}

func TestSummarize(t *testing.T) {
	now := StartOf(time.Now(), time.Minute)
	minutes := []Bucket{
		{Start: now.Add(-time.Minute), Counts: map[Key]int64{
			{Count: Decisions, Action: verdict.Warn}: 8, {Count: Decisions, Action: verdict.Redirect}: 4,
			{Count: Warned, Name: "external"}: 8, {Count: Warned, Name: "shortener"}: 5,
			{Count: Sites, Action: verdict.Warn, Name: "bit.ly"}: 5, {Count: Sites, Action: verdict.Warn, Name: "evil.example"}: 3,
			{Count: Sites, Action: verdict.Redirect, Name: "blibli.com"}: 4,
		}},
		{Start: now, Counts: map[Key]int64{
			{Count: Decisions, Action: verdict.Block}: 3, {Count: Decisions, Action: verdict.Invalid}: 1,
			{Count: Sites, Action: verdict.Block, Name: "evil.example"}: 2, // a third block's domain gave way
			{Count: Continues}: 3, {Count: Continued, Name: "external"}: 3, {Count: Continued, Name: "shortener"}: 2,
			{Count: Reports}: 2,
		}},
	}
	s := Summarize(minutes, now.Add(-time.Hour), 2)
	if s.Decisions != 16 || s.Continues != 3 || s.Reports != 2 || s.OtherClicks != 2 {
		t.Errorf("totals %+v", s)
	}
	if s.Actions[verdict.Warn] != 8 || s.Actions[verdict.Block] != 3 || s.Actions[verdict.Invalid] != 1 || s.Actions[verdict.Redirect] != 4 {
		t.Errorf("actions %v", s.Actions)
	}
	wantSites := []SiteCount{{Site: "bit.ly", Clicks: 5, Warned: 5}, {Site: "evil.example", Clicks: 5, Warned: 3, Blocked: 2}}
	if fmt.Sprint(s.TopSites) != fmt.Sprint(wantSites) {
		t.Errorf("top sites %+v, want %+v", s.TopSites, wantSites)
	}
	wantReasons := []ReasonRate{{"external", 8, 3, 3.0 / 8}, {"shortener", 5, 2, 2.0 / 5}}
	if fmt.Sprint(s.Reasons) != fmt.Sprint(wantReasons) {
		t.Errorf("reasons %+v, want %+v", s.Reasons, wantReasons)
	}
}

// failingStore fails while failing is set and records what it took.
type failingStore struct {
	mu      sync.Mutex
	failing bool
	mem     *MemoryStore
}

func (f *failingStore) Add(ctx context.Context, minutes []Bucket) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing {
		return errors.New("store down")
	}
	return f.mem.Add(ctx, minutes)
}

func (f *failingStore) Read(ctx context.Context, span time.Duration, from, to time.Time) ([]Bucket, error) {
	return f.mem.Read(ctx, span, from, to)
}

func (f *failingStore) set(failing bool) {
	f.mu.Lock()
	f.failing = failing
	f.mu.Unlock()
}

// While the store fails, a Recorder keeps the newest KeepMinutes minutes
// and writes them, with what came meanwhile, once it is back.
func TestRecorderKeepsCountsWhileTheStoreFails(t *testing.T) {
	store := &failingStore{failing: true, mem: NewMemoryStore(0)}
	r := NewRecorder(store, RecorderOptions{FlushEvery: time.Millisecond, KeepMinutes: 3})
	now := StartOf(time.Now(), time.Minute)
	report := func(minutesAgo int) {
		r.Tally([]events.Event{{Kind: events.KindReport, Time: now.Add(-time.Duration(minutesAgo) * time.Minute)}})
	}
	for ago := range 5 {
		report(ago)
	}
	waitFor(t, "failed writes", func() bool { return r.Stats().Failures >= 2 })
	report(0)
	// A flush in progress holds the minutes it tries to write, so the
	// stats are read between two tries.
	waitFor(t, "3 minutes pending and 2 dropped", func() bool {
		st := r.Stats()
		return st.Pending == 3 && st.Dropped == 2
	})
	store.set(false)
	waitFor(t, "the counts written", func() bool { return r.Stats().Pending == 0 })
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, _ := store.Read(context.Background(), time.Minute, now.Add(-time.Hour), now)
	if len(got) != 3 || got[2].Counts[Key{Count: Reports}] != 2 || got[0].Counts[Key{Count: Reports}] != 1 {
		t.Errorf("stored %+v, want the 3 newest minutes, the last with 2 reports", got)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not within 5s: %s", what)
		}
	}
}

// Total over any period adds up to the same as the period's minutes, while
// it reads whole hours where it can.
func TestTotalEqualsTheSumOfMinutes(t *testing.T) {
	store := NewMemoryStore(0)
	end := StartOf(time.Now(), time.Minute)
	var minutes []Bucket
	for i := range 5 * 60 {
		minutes = append(minutes, Bucket{Start: end.Add(-time.Duration(i) * time.Minute), Counts: map[Key]int64{
			{Count: Reports}: int64(i + 1), {Count: Sites, Action: verdict.Warn, Name: fmt.Sprintf("s%d.example", i%7)}: 1}})
	}
	if err := store.Add(context.Background(), minutes); err != nil {
		t.Fatal(err)
	}
	sum := func(buckets []Bucket) (reports, sites int64) {
		for _, b := range buckets {
			for k, n := range b.Counts {
				if k.Count == Reports {
					reports += n
				} else {
					sites += n
				}
			}
		}
		return reports, sites
	}
	ctx := context.Background()
	for _, tc := range []struct{ from, to time.Duration }{ // back from end
		{5 * time.Hour, 0}, {4*time.Hour + 17*time.Minute + 30*time.Second, 13 * time.Minute}, {90 * time.Minute, 30 * time.Minute},
		{3 * time.Minute, 2 * time.Minute}, {2 * time.Hour, 2 * time.Hour}, {61 * time.Minute, 0},
	} {
		from, to := end.Add(-tc.from), end.Add(-tc.to)
		total, err := Total(ctx, store, from, to)
		if err != nil {
			t.Fatal(err)
		}
		byMinute, _ := store.Read(ctx, time.Minute, from, to)
		gotReports, gotSites := sum(total)
		wantReports, wantSites := sum(byMinute)
		if gotReports != wantReports || gotSites != wantSites {
			t.Errorf("from -%v to -%v: Total gives %d reports and %d clicks, the minutes %d and %d", tc.from, tc.to, gotReports, gotSites, wantReports, wantSites)
		}
		if tc.from-tc.to >= 3*time.Hour && len(total) > 3+2*60 {
			t.Errorf("from -%v to -%v: Total read %d buckets, not whole hours", tc.from, tc.to, len(total))
		}
	}
	if _, err := Total(ctx, store, end, end.Add(-time.Second)); !errors.Is(err, ErrRange) {
		t.Errorf("Total of a period ending before it starts: %v", err)
	}
}

// Minutes are kept for MinuteRetention, hours for the retention: a period
// that starts past the minutes starts at its hour.
func TestOldPeriodsAreReadByTheHour(t *testing.T) {
	store := NewMemoryStore(0)
	hour := StartOf(time.Now().Add(-30*time.Hour), time.Hour)
	report := map[Key]int64{{Count: Reports}: 1}
	ctx := context.Background()
	if err := store.Add(ctx, []Bucket{{Start: hour.Add(5 * time.Minute), Counts: report}, {Start: hour.Add(50 * time.Minute), Counts: report}}); err != nil {
		t.Fatal(err)
	}
	if minutes, _ := store.Read(ctx, time.Minute, hour, hour.Add(time.Hour)); len(minutes) != 0 {
		t.Errorf("minutes of 30 hours ago kept: %+v", minutes)
	}
	total, err := Total(ctx, store, hour.Add(30*time.Minute), time.Now())
	if err != nil || len(total) != 1 || total[0].Counts[Key{Count: Reports}] != 2 || !total[0].Start.Equal(hour) {
		t.Errorf("Total from 30 hours ago = %+v, %v; want the whole hour with its 2 reports", total, err)
	}
}

// Whatever clicks come, a bucket keeps SitesKept sites at most, each with
// no more clicks than it had, and every action's total whole.
func FuzzTallyBound(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 0, 0, 0})
	f.Add(make([]byte, 3*SitesKept))
	f.Fuzz(func(t *testing.T, clicks []byte) {
		tl := newTally()
		truth := map[Key]int64{}
		for i, c := range clicks {
			// Each byte is a click: its action, and a domain among 512.
			action := verdict.Actions[int(c)%len(verdict.Actions)]
			site := Key{Count: Sites, Action: action, Name: fmt.Sprintf("d%d.example", (int(c)*7+i/len(verdict.Actions))%512)}
			tl.fold(&events.Event{Kind: events.KindDecision, Action: action, Site: site.Name})
			truth[site]++
			truth[Key{Count: Decisions, Action: action}]++
		}
		sites := 0
		for k, n := range tl.counts {
			switch k.Count {
			case Sites:
				sites++
				if n < 1 || n > truth[k] {
					t.Errorf("%s kept with %d clicks of %d", k.Field(), n, truth[k])
				}
			case Decisions:
				if n != truth[k] {
					t.Errorf("%s = %d, want %d", k.Field(), n, truth[k])
				}
			}
		}
		if sites > SitesKept || sites != tl.sites {
			t.Errorf("%d sites kept (tally says %d), at most %d wanted", sites, tl.sites, SitesKept)
		}
	})
}
