package storetest

import (
	"sync"
	"testing"
	"time"

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
			mu       sync.Mutex
			limiters = map[string]*ratelimit.Memory{}
			counters = map[time.Duration]*reports.Memory{}
			minutes  = map[time.Duration]*series.MemoryStore{}
		)
		b := Backend{
			Rules:  rules.NewMemoryStore(0),
			Events: events.NewMemorySink(0),
			// One process's memory is shared by its replicas here.
			Expansions: expand.NewMemoryCache(),
			NewLimiter: func(name string, limit ratelimit.Limit) ratelimit.Limiter {
				mu.Lock()
				defer mu.Unlock()
				if limiters[name] == nil {
					limiters[name] = ratelimit.NewMemory(limit, 0)
				}
				return limiters[name]
			},
			NewReports: func(window time.Duration) reports.Counter {
				mu.Lock()
				defer mu.Unlock()
				if counters[window] == nil {
					counters[window] = reports.NewMemory(window, 0)
				}
				return counters[window]
			},
			NewSeries: func(retention time.Duration) series.Store {
				mu.Lock()
				defer mu.Unlock()
				if minutes[retention] == nil {
					minutes[retention] = series.NewMemoryStore(retention)
				}
				return minutes[retention]
			},
		}
		return func() Backend { return b }
	})
}
