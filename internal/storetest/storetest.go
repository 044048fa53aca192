// Package storetest is the contract every implementation of the shared
// state meets: the rule store with its audit log, catch-up and watch, the
// syncer on top of it, the event sink and reader, the rate limiter, the
// report counter and the cache of shortener expansions. The
// in-memory and the Redis implementations run the same suite.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/dismissals"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/expand"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/reports"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/series"
)

// EventStore stores events and reads them back.
type EventStore interface {
	events.Sink
	events.Reader
}

// Backend is one replica's view of the shared state.
type Backend struct {
	Rules  rules.Store
	Events EventStore
	// NewLimiter returns a limiter applying limit to the keys of name.
	NewLimiter func(name string, limit ratelimit.Limit) ratelimit.Limiter
	// NewReports returns a counter of the reports of each site within
	// window.
	NewReports func(window time.Duration) reports.Counter
	// NewSeries returns the per-minute counters, each minute kept for
	// retention after its start.
	NewSeries func(retention time.Duration) series.Store
	// Expansions remembers where shortener links go.
	Expansions expand.Cache
	// NewDismissals returns the store of dismissals, keeping at most
	// maxSites of them.
	NewDismissals func(maxSites int) dismissals.Store
}

// Open creates fresh, empty shared state for one test and returns a
// function giving views of it: each call is another replica (for Redis,
// another client) on the same state.
type Open func(t *testing.T) (replica func() Backend)

// Run runs the whole contract against the implementation open creates.
func Run(t *testing.T, open Open) {
	t.Run("rules", func(t *testing.T) { testRules(t, open) })
	t.Run("audit", func(t *testing.T) { testAudit(t, open) })
	t.Run("since", func(t *testing.T) { testSince(t, open) })
	t.Run("watch", func(t *testing.T) { testWatch(t, open) })
	t.Run("syncers", func(t *testing.T) { testSyncers(t, open) })
	t.Run("events", func(t *testing.T) { testEvents(t, open) })
	t.Run("series", func(t *testing.T) { testSeries(t, open) })
	t.Run("limits", func(t *testing.T) { testLimits(t, open) })
	t.Run("reports", func(t *testing.T) { testReports(t, open) })
	t.Run("expansions", func(t *testing.T) { testExpansions(t, open) })
	t.Run("dismissals", func(t *testing.T) { testDismissals(t, open) })
}

// ctx is a context for one store call in a test.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// eventually polls cond for up to five seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("not within 5s: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
