package redisstore

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/internal/redistest"
	"github.com/blibli/safelink/internal/storetest"
)

// newClient returns a client of srv closed when the test ends.
func newClient(t *testing.T, srv *redistest.Server) redis.UniversalClient {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// TestRedis runs the contract on a private redis-server; each replica is
// another client.
func TestRedis(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() storetest.Backend {
		srv := redistest.Start(t)
		return func() storetest.Backend {
			c := newClient(t, srv)
			return storetest.Backend{
				Rules:  NewRules(c, RulesOptions{}),
				Events: newEvents(t, c, EventsOptions{}),
				NewLimiter: func(name string, limit ratelimit.Limit) ratelimit.Limiter {
					return NewLimiter(c, name, limit, LimiterOptions{})
				},
			}
		}
	})
}
