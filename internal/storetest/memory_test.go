package storetest

import (
	"sync"
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

// TestMemory runs the contract on the in-memory implementations. Replicas
// of in-memory state are views of the same objects in one process.
func TestMemory(t *testing.T) {
	Run(t, func(t *testing.T) func() Backend {
		var (
			mu        sync.Mutex
			limiters  = map[string]*ratelimit.Memory{}
			counters  = map[time.Duration]*reports.Memory{}
			minutes   = map[time.Duration]*series.MemoryStore{}
			dismissed = map[int]*dismissals.Memory{}
		)
		b := Backend{
			Rules:  rules.NewMemoryStore(0),
			Events: events.NewMemorySink(0),
			// One process's memory is shared by its replicas here.
			Expansions: expand.NewMemoryCache(),
			NewLimiter: func(name string, limit ratelimit.Limit) ratelimit.Limiter {
				return shared(&mu, limiters, name, func() *ratelimit.Memory { return ratelimit.NewMemory(limit, 0) })
			},
			NewReports: func(window time.Duration) reports.Counter {
				return shared(&mu, counters, window, func() *reports.Memory { return reports.NewMemory(window, 0) })
			},
			NewSeries: func(retention time.Duration) series.Store {
				return shared(&mu, minutes, retention, func() *series.MemoryStore { return series.NewMemoryStore(retention) })
			},
			NewDismissals: func(maxSites int) dismissals.Store {
				return shared(&mu, dismissed, maxSites, func() *dismissals.Memory { return dismissals.NewMemory(maxSites) })
			},
		}
		return func() Backend { return b }
	})
}

// shared returns the value of m under key, made by newValue the first
// time: every replica of in-memory state gets the same one.
func shared[K comparable, V any](mu *sync.Mutex, m map[K]V, key K, newValue func() V) V {
	mu.Lock()
	defer mu.Unlock()
	v, ok := m[key]
	if !ok {
		v = newValue()
		m[key] = v
	}
	return v
}
