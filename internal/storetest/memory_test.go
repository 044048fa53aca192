package storetest

import (
	"sync"
	"testing"

	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/expand"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/rules"
)

// TestMemory runs the contract on the in-memory implementations. Replicas
// of in-memory state are views of the same objects in one process.
func TestMemory(t *testing.T) {
	Run(t, func(t *testing.T) func() Backend {
		var (
			mu       sync.Mutex
			limiters = map[string]*ratelimit.Memory{}
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
		}
		return func() Backend { return b }
	})
}
