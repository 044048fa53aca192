package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/rules"
)

// startSyncer runs a Syncer of s until the test ends and waits for its
// first load.
func startSyncer(t *testing.T, s rules.Store) *rules.Syncer {
	t.Helper()
	syncer := rules.NewSyncer(s, rules.SyncerOptions{Resync: time.Hour})
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		syncer.Run(runCtx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	select {
	case <-syncer.Loaded():
	case <-time.After(5 * time.Second):
		t.Fatalf("no first load within 5s: %+v", syncer.State())
	}
	return syncer
}

// testSyncers adds 100 rules through one replica and measures how long each
// takes to match in another replica's syncer, which only its watch tells.
func testSyncers(t *testing.T, open Open) {
	replica := open(t)
	writer, reader := replica(), replica()
	existing := add(t, writer.Rules, blockRule("before.example.com"))
	syncer := startSyncer(t, reader.Rules)
	if st := syncer.State(); st.Rules != 1 || st.Revision != 1 || st.LastSync.IsZero() || st.LastError != nil {
		t.Fatalf("after the first load: %+v", st)
	}

	const n = 100
	latencies := make([]time.Duration, 0, n)
	for i := range n {
		host := fmt.Sprintf("site%d.example.com", i)
		start := time.Now()
		add(t, writer.Rules, blockRule(host))
		for {
			if _, ok := syncer.Match(host, "https://"+host+"/", time.Now()); ok {
				break
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("%s not matching in the other replica within 5s", host)
			}
			time.Sleep(20 * time.Microsecond)
		}
		latencies = append(latencies, time.Since(start))
	}
	slices.Sort(latencies)
	p50, p99 := latencies[n/2], latencies[n*99/100]
	t.Logf("add → match in another replica over %d rules: p50 %v, p99 %v, max %v", n, p50, p99, latencies[n-1])
	if p99 > time.Second {
		t.Errorf("p99 %v; a change must apply within a second", p99)
	}

	if _, err := writer.Rules.Remove(ctx(t), existing.ID, rules.Removal{Author: "budi", Why: "resolved"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the removal applied", func() bool {
		_, ok := syncer.Match("before.example.com", "https://before.example.com/", time.Now())
		return !ok
	})
	if st := syncer.State(); st.Rules != n || st.Revision != n+2 || st.LastError != nil {
		t.Errorf("state %+v, want %d rules at revision %d", st, n, n+2)
	}
}
