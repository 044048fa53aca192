package threat_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"

	"github.com/blibli/safelink/gateway/threat"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/fakewebrisk"
)

// logBuffer collects a checker's log while its goroutines write to it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// webRiskKey is recognizable, so that a test can search every output for
// it.
const webRiskKey = "wr-test-key-9f8e7d6c5b4a"

var webRiskEntries = []fakewebrisk.Entry{
	{Type: webriskpb.ThreatType_MALWARE, Expression: "malware.example/"},
	{Type: webriskpb.ThreatType_SOCIAL_ENGINEERING, Expression: "phishing.example/"},
	{Type: webriskpb.ThreatType_SOCIAL_ENGINEERING, Expression: "evil.blibli.com/"},
	{Type: webriskpb.ThreatType_UNWANTED_SOFTWARE, Expression: "unwanted.example/"},
	{Type: webriskpb.ThreatType_SOCIAL_ENGINEERING_EXTENDED_COVERAGE, Expression: "maybe-phishing.example/"},
}

// startFakeWebRisk starts a fake Web Risk server with the entries.
func startFakeWebRisk(t *testing.T, entries ...fakewebrisk.Entry) *fakewebrisk.Server {
	t.Helper()
	return startFakeWebRiskWith(t, 0, entries...)
}

// startFakeWebRiskWith starts a fake Web Risk server with the entries and
// as many random prefixes in its malware list.
func startFakeWebRiskWith(t testing.TB, randomPrefixes int, entries ...fakewebrisk.Entry) *fakewebrisk.Server {
	t.Helper()
	srv, err := fakewebrisk.New(fakewebrisk.Config{Threats: entries, RandomPrefixes: randomPrefixes, Seed: 1, NextDiff: time.Second, CacheDuration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv
}

// newWebRisk starts a checker of every list against srv, logging to log.
func newWebRisk(t *testing.T, srv *fakewebrisk.Server, log *logBuffer, dbPath string) *threat.WebRisk {
	t.Helper()
	return newWebRiskWith(t, srv, log, dbPath, 0)
}

// newWebRiskWith is newWebRisk with a size of the answer caches (negative:
// off).
func newWebRiskWith(t testing.TB, srv *fakewebrisk.Server, log *logBuffer, dbPath string, cacheSize int) *threat.WebRisk {
	t.Helper()
	cfg := threat.WebRiskConfig{
		CacheSize:    cacheSize,
		APIKey:       webRiskKey,
		Endpoint:     "http://" + srv.Addr(),
		Lists:        []verdict.Threat{verdict.ThreatMalware, verdict.ThreatSocialEngineering, verdict.ThreatUnwantedSoftware, verdict.ThreatSocialEngineeringExtended},
		DBPath:       dbPath,
		UpdatePeriod: 2 * time.Second,
		MaxAge:       time.Minute,
	}
	if log != nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	w, err := threat.NewWebRisk(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func waitWebRisk(t testing.TB, w *threat.WebRisk, state verdict.ListState) verdict.ListStatus {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := w.Status()
		if st.State == state {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("the lists did not become %s: %+v", state, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func lookupWithin(w *threat.WebRisk, url string, budget time.Duration) ([]verdict.Threat, error) {
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	return w.Lookup(ctx, url)
}

func TestWebRiskEndToEnd(t *testing.T) {
	srv := startFakeWebRisk(t, webRiskEntries...)
	w := newWebRisk(t, srv, nil, "")
	waitWebRisk(t, w, verdict.ListsReady)
	tests := []struct {
		url  string
		want []verdict.Threat
	}{
		{"http://malware.example/", []verdict.Threat{verdict.ThreatMalware}},
		{"https://malware.example/any/path?q=1", []verdict.Threat{verdict.ThreatMalware}},
		{"https://phishing.example/login", []verdict.Threat{verdict.ThreatSocialEngineering}},
		{"https://evil.blibli.com/login?next=%2Fcart", []verdict.Threat{verdict.ThreatSocialEngineering}},
		{"http://unwanted.example/toolbar", []verdict.Threat{verdict.ThreatUnwantedSoftware}},
		{"https://maybe-phishing.example/hadiah", []verdict.Threat{verdict.ThreatSocialEngineeringExtended}},
		{"https://toko-sepatu.example/produk", nil},
		{"https://www.blibli.com/", nil},
	}
	for _, tt := range tests {
		got, err := lookupWithin(w, tt.url, 5*time.Second)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Lookup(%s) = %v, %v; want %v", tt.url, got, err, tt.want)
		}
	}
	if srv.APIKey() != webRiskKey {
		t.Errorf("the server got the key %q", srv.APIKey())
	}
	// The checker must use the client's gRPC transport: the REST one of
	// the same module writes bytes query parameters (version tokens, hash
	// prefixes) as Go slices, which Google's front end cannot read. The
	// fake serves gRPC only, and counts the calls by their gRPC names.
	for _, method := range []string{webriskpb.WebRiskService_ComputeThreatListDiff_FullMethodName, webriskpb.WebRiskService_SearchHashes_FullMethodName} {
		if srv.Calls(method) == 0 {
			t.Errorf("no gRPC call %s reached the server", method)
		}
	}
	if hs := w.HashStats(); hs.Calls == 0 {
		t.Errorf("no full-hash call was made: %+v", hs)
	}
	// Another URL of a listed host: its full hash comes from the cache.
	before := w.HashStats()
	if got, _ := lookupWithin(w, "http://malware.example/another/page", time.Second); len(got) != 1 {
		t.Errorf("second lookup: %v", got)
	}
	if after := w.HashStats(); after.Calls != before.Calls || after.CacheHits <= before.CacheHits {
		t.Errorf("the second lookup asked the server: %+v then %+v", before, after)
	}
}

func TestWebRiskRemovalAppliesAtTheNextDiff(t *testing.T) {
	srv := startFakeWebRisk(t, webRiskEntries...)
	w := newWebRisk(t, srv, nil, "")
	waitWebRisk(t, w, verdict.ListsReady)
	if got, _ := lookupWithin(w, "http://malware.example/", 5*time.Second); len(got) != 1 {
		t.Fatalf("before the removal: %v", got)
	}
	srv.Remove(webRiskEntries[0])
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := lookupWithin(w, "http://malware.example/x", 5*time.Second)
		if err == nil && len(got) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still listed after the removal: %v, %v", got, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st := w.ListStats(); st[0].Updates < 2 {
		t.Errorf("malware list stats %+v: want a diff after the reset", st[0])
	}
}

func TestWebRiskWrongChecksumResets(t *testing.T) {
	srv := startFakeWebRisk(t, webRiskEntries...)
	srv.SetFailure(fakewebrisk.FailureBadChecksum)
	w := newWebRisk(t, srv, nil, "")
	deadline := time.Now().Add(10 * time.Second)
	for w.ListStats()[0].ChecksumFailures == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no checksum failure counted")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := lookupWithin(w, "http://malware.example/", time.Second); !errors.Is(err, threat.ErrNotReady) {
		t.Errorf("with a list refused for its checksum: %v, want ErrNotReady", err)
	}
	srv.SetFailure(fakewebrisk.FailureNone)
	waitWebRisk(t, w, verdict.ListsReady)
	if got, err := lookupWithin(w, "http://malware.example/", 5*time.Second); err != nil || len(got) != 1 {
		t.Errorf("after the reset: %v, %v", got, err)
	}
	if st := w.ListStats()[0]; st.Resets == 0 {
		t.Errorf("stats %+v: want a reset", st)
	}
}

func TestWebRiskFailuresGiveErrorsWithinTheBudget(t *testing.T) {
	t.Run("down from the start", func(t *testing.T) {
		srv := startFakeWebRisk(t, webRiskEntries...)
		srv.SetFailure(fakewebrisk.FailureUnavailable)
		w := newWebRisk(t, srv, nil, "")
		deadline := time.Now().Add(10 * time.Second)
		for w.Status().Problem == "" && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		st := w.Status()
		if st.State != verdict.ListsLoading || !strings.Contains(st.Problem, "Unavailable") {
			t.Errorf("Status = %+v, want loading with the problem", st)
		}
		if _, err := lookupWithin(w, "https://toko.example/", time.Second); !errors.Is(err, threat.ErrNotReady) {
			t.Errorf("Lookup: %v, want ErrNotReady", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		srv := startFakeWebRisk(t, webRiskEntries...)
		srv.SetFailure(fakewebrisk.FailureBadRice)
		w := newWebRisk(t, srv, nil, "")
		deadline := time.Now().Add(10 * time.Second)
		for w.Status().Problem == "" && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if st := w.Status(); st.State != verdict.ListsLoading || st.Problem == "" {
			t.Errorf("Status = %+v, want loading with the problem", st)
		}
	})
	t.Run("slow full hashes", func(t *testing.T) {
		srv := startFakeWebRisk(t, webRiskEntries...)
		w := newWebRisk(t, srv, nil, "")
		waitWebRisk(t, w, verdict.ListsReady)
		srv.SetDelay(2 * time.Second)
		start := time.Now()
		_, err := lookupWithin(w, "http://malware.example/", 100*time.Millisecond)
		var u *threat.UnconfirmedError
		if !errors.As(err, &u) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("a listed prefix past the budget: %v, want an unconfirmed deadline", err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("the lookup took %v, past its budget", took)
		}
		// A URL on no prefix needs no request: it answers at once.
		if got, err := lookupWithin(w, "https://toko.example/", 100*time.Millisecond); err != nil || got != nil {
			t.Errorf("a clean URL with the server slow: %v, %v", got, err)
		}
	})
}

func TestWebRiskKeepsItsListsAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "webrisk.db")
	srv := startFakeWebRisk(t, webRiskEntries...)
	first := newWebRisk(t, srv, nil, db)
	waitWebRisk(t, first, verdict.ListsReady)
	first.Close()

	srv.SetFailure(fakewebrisk.FailureUnavailable)
	var log logBuffer
	second := newWebRisk(t, srv, &log, db)
	if st := second.Status(); st.State != verdict.ListsReady {
		t.Fatalf("a restart with the saved lists and the server down: %+v", st)
	}
	if got, err := lookupWithin(second, "https://toko.example/", time.Second); err != nil || got != nil {
		t.Errorf("a clean URL from the saved lists: %v, %v", got, err)
	}
	var u *threat.UnconfirmedError
	if _, err := lookupWithin(second, "http://malware.example/", time.Second); !errors.As(err, &u) {
		t.Errorf("a listed prefix with the server down: %v, want unconfirmed", err)
	}
	second.Close()

	for name, content := range map[string][]byte{
		"foreign":   []byte("not a database"),
		"truncated": mustRead(t, db)[:100],
		"flipped":   flipLastByte(mustRead(t, db)),
	} {
		path := filepath.Join(dir, name+".db")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		var log logBuffer
		w := newWebRisk(t, srv, &log, path)
		if st := w.Status(); st.State != verdict.ListsLoading || !strings.Contains(log.String(), "not loaded from the saved file") {
			t.Errorf("%s file: %+v, log %s", name, st, log.String())
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func flipLastByte(b []byte) []byte {
	b = slices.Clone(b)
	b[len(b)-1] ^= 0xff
	return b
}

func TestWebRiskKeyAppearsInNoOutput(t *testing.T) {
	srv := startFakeWebRisk(t, webRiskEntries...)
	var log logBuffer
	w := newWebRisk(t, srv, &log, "")
	waitWebRisk(t, w, verdict.ListsReady)
	var outputs []string
	for _, f := range []fakewebrisk.Failure{fakewebrisk.FailureUnavailable, fakewebrisk.FailureResourceExhausted, fakewebrisk.FailureBadChecksum, fakewebrisk.FailureBadRice} {
		srv.SetFailure(f)
		time.Sleep(1500 * time.Millisecond)
		_, err := lookupWithin(w, "http://malware.example/other", time.Second)
		outputs = append(outputs, errorText(err), w.Status().Problem)
	}
	srv.Stop()
	time.Sleep(1500 * time.Millisecond)
	_, err := lookupWithin(w, "http://phishing.example/x", time.Second)
	outputs = append(outputs, errorText(err), w.Status().Problem, log.String())
	for _, out := range outputs {
		if strings.Contains(out, webRiskKey) {
			t.Errorf("the key appears in %q", out)
		}
	}
	if !strings.Contains(log.String(), "update failed") {
		t.Errorf("the failures were not logged: %s", log.String())
	}
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestWebRiskConfigRefusesBadSettings(t *testing.T) {
	tests := []struct {
		name string
		cfg  threat.WebRiskConfig
		want string
	}{
		{"plaintext to another host", threat.WebRiskConfig{APIKey: "k", Endpoint: "http://10.0.0.1:8443"}, "plaintext to another host"},
		{"plaintext without a port", threat.WebRiskConfig{APIKey: "k", Endpoint: "http://127.0.0.1"}, "http://HOST:PORT"},
		{"plaintext with a path", threat.WebRiskConfig{APIKey: "k", Endpoint: "http://127.0.0.1:1/x"}, "http://HOST:PORT"},
		{"plaintext without a key", threat.WebRiskConfig{Endpoint: "http://127.0.0.1:1"}, "needs an API key"},
		{"not host:port", threat.WebRiskConfig{APIKey: "k", Endpoint: "webrisk.googleapis.com"}, "HOST:PORT"},
		{"a list Web Risk has not", threat.WebRiskConfig{APIKey: "k", Lists: []verdict.Threat{verdict.ThreatHarmfulApplication}}, "no list"},
		{"a list twice", threat.WebRiskConfig{APIKey: "k", Lists: []verdict.Threat{verdict.ThreatMalware, verdict.ThreatMalware}}, "twice"},
		{"period too short", threat.WebRiskConfig{APIKey: "k", UpdatePeriod: time.Millisecond}, "update period"},
		{"period past the age", threat.WebRiskConfig{APIKey: "k", UpdatePeriod: time.Hour}, "update period"},
	}
	for _, tt := range tests {
		if _, err := threat.NewWebRisk(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}

// A listed answer holds no longer than the server's expiry of the full
// hash, even in the cache of answers by URL.
func TestWebRiskListedAnswersExpireWithTheirFullHashes(t *testing.T) {
	srv, err := fakewebrisk.New(fakewebrisk.Config{Threats: webRiskEntries, NextDiff: time.Second, CacheDuration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	w := newWebRisk(t, srv, nil, "")
	waitWebRisk(t, w, verdict.ListsReady)
	search := webriskpb.WebRiskService_SearchHashes_FullMethodName
	for i, wait := range []time.Duration{0, 0, 400 * time.Millisecond} {
		time.Sleep(wait)
		if got, err := lookupWithin(w, "http://malware.example/", time.Second); err != nil || len(got) != 1 {
			t.Fatalf("lookup %d: %v, %v", i, got, err)
		}
	}
	if calls := srv.Calls(search); calls != 2 {
		t.Errorf("%d full-hash calls, want 2: one at first, one once the answer expired", calls)
	}
}

// Close ends an update under way rather than waiting for its deadline.
func TestWebRiskCloseEndsAnUpdateUnderWay(t *testing.T) {
	srv := startFakeWebRisk(t, webRiskEntries...)
	srv.SetDelay(20 * time.Second)
	w := newWebRisk(t, srv, nil, "")
	deadline := time.Now().Add(10 * time.Second)
	for srv.Calls(webriskpb.WebRiskService_ComputeThreatListDiff_FullMethodName) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	w.Close()
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Close took %v with an update under way", took)
	}
	if _, err := lookupWithin(w, "https://toko.example/", time.Second); !errors.Is(err, threat.ErrClosed) {
		t.Errorf("Lookup after Close: %v, want ErrClosed", err)
	}
}
