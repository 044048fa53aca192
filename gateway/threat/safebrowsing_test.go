package threat_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/threat"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/fakesafebrowsing"
)

// budget is the time the gateway gives a lookup.
const budget = 300 * time.Millisecond

// slack is how much later than its deadline a lookup may return in a test
// on a loaded machine.
const slack = 2 * time.Second

// listed is the threat file the tests serve.
const listed = `
malware http://malware.example/
malware https://downloads.example/files/invoice.exe
social-engineering https://phishing.example/
social-engineering https://evil.blibli.com/
unwanted-software http://unwanted.example/
harmful-application https://apk.example/download/app.apk
malware https://both.example/
social-engineering https://both.example/
`

func startFake(t testing.TB, threats string, randomPrefixes int) *fakesafebrowsing.Server {
	t.Helper()
	entries, err := fakesafebrowsing.ParseThreats(strings.NewReader(threats))
	if err != nil {
		t.Fatal(err)
	}
	fake, err := fakesafebrowsing.New(fakesafebrowsing.Config{
		Threats:        entries,
		RandomPrefixes: randomPrefixes,
		Seed:           1,
		MinimumWait:    time.Second,
		CacheDuration:  time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Stop() })
	return fake
}

// newChecker returns a checker of every list served by fake, configured
// further by cfg.
func newChecker(t testing.TB, fake *fakesafebrowsing.Server, cfg threat.Config) *threat.SafeBrowsing {
	t.Helper()
	cfg.APIKey = "test-key"
	cfg.ServerURL = fake.URL()
	cfg.Lists = threat.DefaultLists
	c, err := threat.NewSafeBrowsing(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// waitFor polls c's status until it is in state want.
func waitFor(t testing.TB, c *threat.SafeBrowsing, want verdict.ListState, within time.Duration) verdict.ListStatus {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		st := c.Status()
		if st.State == want {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("status %+v, still not %s after %v", st, want, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func lookup(c *threat.SafeBrowsing, url string) ([]verdict.Threat, error, time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	start := time.Now()
	types, err := c.Lookup(ctx, url)
	return types, err, time.Since(start)
}

func TestLookup(t *testing.T) {
	c := newChecker(t, startFake(t, listed, 0), threat.Config{})
	waitFor(t, c, verdict.ListsReady, 10*time.Second)

	tests := []struct {
		url  string
		want []verdict.Threat
	}{
		{"http://malware.example/", []verdict.Threat{verdict.ThreatMalware}},
		{"https://cdn.malware.example/x/y.js?v=2", []verdict.Threat{verdict.ThreatMalware}},
		{"https://downloads.example/files/invoice.exe", []verdict.Threat{verdict.ThreatMalware}},
		{"https://downloads.example/files/readme.txt", nil},
		{"https://phishing.example/login", []verdict.Threat{verdict.ThreatSocialEngineering}},
		{"https://evil.blibli.com/login?next=%2Fcart", []verdict.Threat{verdict.ThreatSocialEngineering}},
		{"https://www.blibli.com/", nil},
		{"http://unwanted.example/toolbar", []verdict.Threat{verdict.ThreatUnwantedSoftware}},
		{"https://apk.example/download/app.apk", []verdict.Threat{verdict.ThreatHarmfulApplication}},
		{"https://both.example/", []verdict.Threat{verdict.ThreatMalware, verdict.ThreatSocialEngineering}},
		{"https://clean.example/", nil},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			if got, ok := c.Cached(tt.url, time.Now()); ok {
				t.Errorf("Cached = %v before any lookup", got)
			}
			got, err, _ := lookup(c, tt.url)
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("Lookup = %v, %v; want %v", got, err, tt.want)
			}
			if got, ok := c.Cached(tt.url, time.Now()); !ok || !slices.Equal(got, tt.want) {
				t.Errorf("Cached after the lookup = %v, %v; want %v", got, ok, tt.want)
			}
		})
	}
}

func TestLookupFailsWithinBudgetWhenTheServerFails(t *testing.T) {
	tests := []struct {
		name     string
		fail     func(*fakesafebrowsing.Server)
		deadline bool // whether the lookup must fail with the context's deadline
	}{
		{"down", func(f *fakesafebrowsing.Server) { f.Stop() }, false},
		{"slow", func(f *fakesafebrowsing.Server) { f.SetDelay(time.Minute) }, true},
		{"garbage", func(f *fakesafebrowsing.Server) { f.SetFailure(fakesafebrowsing.FailureGarbage) }, false},
		{"status 500", func(f *fakesafebrowsing.Server) { f.SetFailure(fakesafebrowsing.FailureStatus500) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := startFake(t, listed, 0)
			c := newChecker(t, fake, threat.Config{})
			waitFor(t, c, verdict.ListsReady, 10*time.Second)
			tt.fail(fake)

			// A listed prefix needs the server to confirm the full hash.
			got, err, elapsed := lookup(c, "https://phishing.example/login")
			if err == nil {
				t.Fatalf("Lookup = %v, nil error; want an error", got)
			}
			t.Logf("Lookup failed after %v: %v", elapsed, err)
			if elapsed > budget+slack {
				t.Errorf("Lookup returned after %v, want within %v of the %v budget", elapsed, slack, budget)
			}
			if isDeadline := errors.Is(err, context.DeadlineExceeded); isDeadline != tt.deadline {
				t.Errorf("Lookup error = %v; errors.Is(err, context.DeadlineExceeded) = %v, want %v", err, isDeadline, tt.deadline)
			}

			// A clean URL is settled by the local lists alone.
			if got, err, _ := lookup(c, "https://clean.example/"); err != nil || got != nil {
				t.Errorf("Lookup of a clean URL = %v, %v; want none, nil", got, err)
			}
		})
	}
}

func TestLookupBeforeListsAreLoaded(t *testing.T) {
	tests := []struct {
		name        string
		fail        func(*fakesafebrowsing.Server)
		wantProblem bool // whether Status explains why
	}{
		{"server down", func(f *fakesafebrowsing.Server) { f.Stop() }, true},
		{"server slow", func(f *fakesafebrowsing.Server) { f.SetDelay(time.Minute) }, false},
		{"server answers garbage", func(f *fakesafebrowsing.Server) { f.SetFailure(fakesafebrowsing.FailureGarbage) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := startFake(t, listed, 0)
			tt.fail(fake)
			c := newChecker(t, fake, threat.Config{})
			if tt.wantProblem {
				deadline := time.Now().Add(10 * time.Second)
				for c.Status().Problem == "" && time.Now().Before(deadline) {
					time.Sleep(10 * time.Millisecond)
				}
			}
			st := c.Status()
			if st.State != verdict.ListsLoading || (st.Problem != "") != tt.wantProblem || !st.Updated.IsZero() {
				t.Errorf("Status = %+v, want loading, no update, a problem: %v", st, tt.wantProblem)
			}
			_, err, elapsed := lookup(c, "https://clean.example/")
			if _, ok := c.Cached("https://clean.example/", time.Now()); ok {
				t.Error("Cached answers before the lists are loaded")
			}
			if !errors.Is(err, threat.ErrNotReady) {
				t.Errorf("Lookup error = %v, want ErrNotReady", err)
			}
			if elapsed > budget+slack {
				t.Errorf("Lookup returned after %v, want within %v of the %v budget", elapsed, slack, budget)
			}
		})
	}
}

func TestStatusWhenReady(t *testing.T) {
	before := time.Now()
	c := newChecker(t, startFake(t, listed, 0), threat.Config{})
	st := waitFor(t, c, verdict.ListsReady, 10*time.Second)
	if st.Lists != len(threat.DefaultLists) || st.Updated.Before(before) || st.Age < 0 || st.Age > time.Minute || st.Problem != "" {
		t.Errorf("Status = %+v, want %d lists updated since %v", st, len(threat.DefaultLists), before)
	}
}

func TestListsGoStaleWhenUpdatesHang(t *testing.T) {
	fake := startFake(t, listed, 0)
	c := newChecker(t, fake, threat.Config{UpdatePeriod: 100 * time.Millisecond, MaxAge: 500 * time.Millisecond})
	waitFor(t, c, verdict.ListsReady, 10*time.Second)
	fake.SetDelay(time.Minute)

	st := waitFor(t, c, verdict.ListsStale, 10*time.Second)
	if st.Age <= 500*time.Millisecond {
		t.Errorf("stale Status has age %v, want over the 500ms maximum", st.Age)
	}
	if _, err, _ := lookup(c, "https://clean.example/"); !errors.Is(err, threat.ErrStale) {
		t.Errorf("Lookup error = %v, want ErrStale", err)
	}
}

func TestListsPersistAcrossRestarts(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "safebrowsing.db")
	fake := startFake(t, listed, 0)
	first := newChecker(t, fake, threat.Config{DBPath: dbPath})
	downloaded := waitFor(t, first, verdict.ListsReady, 10*time.Second).Updated
	first.Close()
	fake.Stop()
	if _, err := os.Stat(dbPath); err != nil {
		t.Fatalf("database file: %v", err)
	}

	// The lists loaded from the file are as old as their download, not
	// as the load: /readyz and the 30-minute limit must see their real age.
	const gap = 500 * time.Millisecond
	time.Sleep(gap)
	second := newChecker(t, fake, threat.Config{DBPath: dbPath})
	st := waitFor(t, second, verdict.ListsReady, 10*time.Second)
	if d := st.Updated.Sub(downloaded); d < -gap/2 || d > gap/2 || st.Age < gap {
		t.Errorf("lists loaded from the file: updated %v, age %v; want the download time %v", st.Updated, st.Age, downloaded)
	}
	if got, err, _ := lookup(second, "https://clean.example/"); err != nil || got != nil {
		t.Errorf("Lookup of a clean URL = %v, %v; want none, nil", got, err)
	}
	// The listed prefix came from the file; the full hash needs the server,
	// which is down, so the URL must not pass as clean.
	if got, err, _ := lookup(second, "https://phishing.example/login"); err == nil {
		t.Errorf("Lookup of a listed URL with the server down = %v, nil error; want an error", got)
	}
}

func TestLookupAfterClose(t *testing.T) {
	c := newChecker(t, startFake(t, listed, 0), threat.Config{})
	waitFor(t, c, verdict.ListsReady, 10*time.Second)
	// A cached answer read just before Close, with the lists' ready state
	// remembered, must not outlive Close.
	if _, err, _ := lookup(c, "https://clean.example/"); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Cached("https://clean.example/", time.Now()); !ok {
		t.Fatal("no cached answer after a lookup")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err, _ := lookup(c, "https://clean.example/"); !errors.Is(err, threat.ErrClosed) {
		t.Errorf("Lookup error = %v, want ErrClosed", err)
	}
	if got, ok := c.Cached("https://clean.example/", time.Now()); ok {
		t.Errorf("Cached = %v after Close", got)
	}
}

func TestLookupWithEndedContext(t *testing.T) {
	c := newChecker(t, startFake(t, listed, 0), threat.Config{})
	waitFor(t, c, verdict.ListsReady, 10*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Lookup(ctx, "https://clean.example/"); !errors.Is(err, context.Canceled) {
		t.Errorf("Lookup error = %v, want context.Canceled", err)
	}
}

// After a failed list update the library waits 15 minutes or more; the
// checker starts a new client instead, so the lists come back as soon as
// the server does.
func TestRecoversSoonAfterAFailedUpdate(t *testing.T) {
	fake := startFake(t, listed, 0)
	fake.SetFailure(fakesafebrowsing.FailureStatus500)
	c := newChecker(t, fake, threat.Config{RetryPeriod: 100 * time.Millisecond})
	deadline := time.Now().Add(5 * time.Second)
	for c.Status().Problem == "" {
		if time.Now().After(deadline) {
			t.Fatalf("the failed update is not reported: %+v", c.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err, _ := lookup(c, "http://malware.example/"); !errors.Is(err, threat.ErrNotReady) {
		t.Fatalf("lookup while the lists failed: %v", err)
	}
	fake.SetFailure(fakesafebrowsing.FailureNone)
	st := waitFor(t, c, verdict.ListsReady, 5*time.Second)
	if st.Restarts < 1 {
		t.Errorf("ready without a restart: %+v", st)
	}
	if types, err, _ := lookup(c, "http://malware.example/"); err != nil || len(types) != 1 || types[0] != verdict.ThreatMalware {
		t.Errorf("lookup after recovery: %v, %v", types, err)
	}
}

// TestSafeBrowsingKeyAppearsInNoOutput sets a recognizable key, with
// characters a URL escapes, makes the server fail in every way, and
// searches the status, the lookup errors and the log for the key in any
// form.
func TestSafeBrowsingKeyAppearsInNoOutput(t *testing.T) {
	const key = "sb-secret/key+9f8e=7d6c"
	fails := map[string]func(*fakesafebrowsing.Server){
		"down":    func(f *fakesafebrowsing.Server) { f.Stop() },
		"garbage": func(f *fakesafebrowsing.Server) { f.SetFailure(fakesafebrowsing.FailureGarbage) },
		"errors":  func(f *fakesafebrowsing.Server) { f.SetFailure(fakesafebrowsing.FailureStatus500) },
	}
	for name, fail := range fails {
		t.Run(name, func(t *testing.T) {
			fake := startFake(t, listed, 0)
			fail(fake)
			var log logBuffer
			c, err := threat.NewSafeBrowsing(threat.Config{
				APIKey: key, ServerURL: fake.URL(), Lists: threat.DefaultLists, RetryPeriod: 100 * time.Millisecond,
				Logger: slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})),
			})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			deadline := time.Now().Add(10 * time.Second)
			for c.Status().Problem == "" && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			_, lookupErr, _ := lookup(c, "https://clean.example/")
			outputs := []string{c.Status().Problem, fmt.Sprint(lookupErr), log.String()}
			if outputs[0] == "" {
				t.Fatal("the failure was never reported")
			}
			for _, out := range outputs {
				for _, form := range []string{key, url.QueryEscape(key), url.PathEscape(key)} {
					if strings.Contains(out, form) {
						t.Errorf("the key appears as %q in %q", form, out)
					}
				}
			}
		})
	}
}

// A database file the library refuses leaves the lists as old as the
// download that replaces it.
func TestUnreadableDatabaseFileMeansAFreshDownload(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "safebrowsing.db")
	if err := os.WriteFile(dbPath, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	c := newChecker(t, startFake(t, listed, 0), threat.Config{DBPath: dbPath})
	if st := waitFor(t, c, verdict.ListsReady, 10*time.Second); st.Updated.Before(before) {
		t.Errorf("lists downloaded after %v report an update at %v", before, st.Updated)
	}
}
