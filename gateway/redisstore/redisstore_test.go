package redisstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/dismissals"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/reports"
	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/internal/redistest"
	"github.com/blibli/safelink/internal/storetest"
)

// newClient returns a client of srv closed when the test ends.
func newClient(t testing.TB, srv *redistest.Server) redis.UniversalClient {
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
				Rules:      NewRules(c, RulesOptions{}),
				Events:     newEvents(t, c, EventsOptions{}),
				Expansions: NewExpansions(c, ""),
				NewLimiter: func(name string, limit ratelimit.Limit) ratelimit.Limiter {
					return NewLimiter(c, name, limit, LimiterOptions{})
				},
				NewReports:    func(window time.Duration) reports.Counter { return NewReports(c, window, "") },
				NewDismissals: func(maxSites int) dismissals.Store { return NewDismissals(c, "", maxSites) },
				NewSeries: func(retention time.Duration) series.Store {
					return NewSeries(c, SeriesOptions{Retention: retention})
				},
			}
		}
	})
}

// TestRedisCluster runs the contract on a Redis Cluster of three masters
// with a replica each, through OpenRedis as the gateway connects.
func TestRedisCluster(t *testing.T) {
	runOnURL(t, redistest.StartCluster(t, 3, 1).URL())
}

// TestRedisSentinel runs the contract on a Sentinel group, through
// OpenRedis as the gateway connects.
func TestRedisSentinel(t *testing.T) {
	runOnURL(t, redistest.StartSentinel(t).URL())
}

// runOnURL runs the contract on the Redis that url names, started once:
// each test of the contract has a key prefix of its own, so starts empty.
func runOnURL(t *testing.T, url string) {
	tests := 0
	storetest.Run(t, func(t *testing.T) func() storetest.Backend {
		tests++
		prefix := fmt.Sprintf("test%d", tests)
		return func() storetest.Backend {
			c, err := OpenRedis(url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = c.Close() })
			return storetest.Backend{
				Rules:      NewRules(c, RulesOptions{Prefix: prefix}),
				Events:     newEvents(t, c, EventsOptions{Prefix: prefix}),
				Expansions: NewExpansions(c, prefix),
				NewLimiter: func(name string, limit ratelimit.Limit) ratelimit.Limiter {
					return NewLimiter(c, name, limit, LimiterOptions{Prefix: prefix})
				},
				NewReports:    func(window time.Duration) reports.Counter { return NewReports(c, window, prefix) },
				NewDismissals: func(maxSites int) dismissals.Store { return NewDismissals(c, prefix, maxSites) },
				NewSeries: func(retention time.Duration) series.Store {
					return NewSeries(c, SeriesOptions{Prefix: prefix, Retention: retention})
				},
			}
		}
	})
}
