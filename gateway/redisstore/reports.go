package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/reports"
)

// Reports is a reports.Counter shared by every replica through Redis: one
// sorted set a site, of reporters scored by the time of their latest
// report, expiring a window after the last.
type Reports struct {
	client redis.UniversalClient
	prefix string
	window time.Duration
}

var _ reports.Counter = (*Reports)(nil)

// NewReports returns a counter of the reports of each site within window;
// prefix starts its keys (DefaultPrefix when empty).
func NewReports(client redis.UniversalClient, window time.Duration, prefix string) *Reports {
	return &Reports{client: client, prefix: prefixOr(prefix) + ":reports:", window: window}
}

// reportScript records a report in one site's set, after dropping the
// reports that left the window, and keeps the set within its bound. KEYS:
// the site's set. ARGV: now and the window in milliseconds, the reporter,
// the bound. It returns {distinct reporters, 1 when the reporter is new}.
var reportScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local bound = tonumber(ARGV[4])
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now - window)
local new = 0
if redis.call("ZSCORE", KEYS[1], ARGV[3]) then
  redis.call("ZADD", KEYS[1], now, ARGV[3])
elseif redis.call("ZCARD", KEYS[1]) < bound then
  new = redis.call("ZADD", KEYS[1], now, ARGV[3])
else
  new = 1
end
redis.call("PEXPIRE", KEYS[1], window)
return {redis.call("ZCARD", KEYS[1]), new}
`)

// Add implements reports.Counter. The key is the site's own, so one call
// touches one slot of a Cluster.
func (r *Reports) Add(ctx context.Context, site, reporter string, now time.Time) (int, bool, error) {
	res, err := reportScript.Run(ctx, r.client, []string{r.prefix + "{" + shorten(site) + "}"},
		now.UnixMilli(), r.window.Milliseconds(), reporter, reports.MaxReporters).Int64Slice()
	if err != nil {
		return 0, false, fmt.Errorf("count reports: %w", err)
	}
	if len(res) != 2 {
		return 0, false, fmt.Errorf("count reports: unexpected answer %v", res)
	}
	return int(res[0]), res[1] == 1, nil
}
