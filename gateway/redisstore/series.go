package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/series"
)

// SeriesOptions tune a Series store. The zero value is usable.
type SeriesOptions struct {
	Prefix    string        // key prefix; DefaultPrefix when empty
	Retention time.Duration // how long a minute is kept after its start; series.DefaultRetention when 0
}

// Series is a series.Store in Redis. Each minute is two keys under a hash
// tag of its own, the minute's Unix time, so that one script adds to both
// in one Cluster slot and the minutes spread over a Cluster's nodes:
//
//	<prefix>:stats:{<unix minute>}:counts   hash: series.Key.Field → count
//	<prefix>:stats:{<unix minute>}:sites    sorted set: site field → clicks, at most series.SitesPerMinute
//
// Both expire Retention after the minute's start.
type Series struct {
	client    redis.UniversalClient
	prefix    string
	retention time.Duration
}

var _ series.Store = (*Series)(nil)

// NewSeries returns a per-minute counter store in Redis through client.
func NewSeries(client redis.UniversalClient, opts SeriesOptions) *Series {
	if opts.Retention <= 0 {
		opts.Retention = series.DefaultRetention
	}
	return &Series{client: client, prefix: prefixOr(opts.Prefix), retention: opts.Retention}
}

// keys are the keys of the minute starting at start: its counts and its
// sites.
func (s *Series) keys(start time.Time) (counts, sites string) {
	tag := s.prefix + ":stats:{" + strconv.FormatInt(start.Unix()/60, 10) + "}:"
	return tag + "counts", tag + "sites"
}

// addScript adds to one minute. ARGV: the expiry (Unix ms), the bound on
// the sites, the number of count fields, then field and increment of each
// count, then of each site. A site past the bound makes the one with the
// fewest clicks give way (ZPOPMIN), as series.MemoryStore does.
var addScript = redis.NewScript(`
local expireAt, bound, counts = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local i = 4
for _ = 1, counts do
  redis.call("HINCRBY", KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i <= #ARGV do
  redis.call("ZINCRBY", KEYS[2], ARGV[i + 1], ARGV[i])
  if redis.call("ZCARD", KEYS[2]) > bound then
    redis.call("ZPOPMIN", KEYS[2])
  end
  i = i + 2
end
redis.call("PEXPIREAT", KEYS[1], expireAt)
redis.call("PEXPIREAT", KEYS[2], expireAt)
return 0
`)

// Add implements series.Store with one script per minute, in the order of
// the minutes. A minute past its retention expires at once.
func (s *Series) Add(ctx context.Context, minutes []series.Minute) error {
	for _, m := range minutes {
		start := series.MinuteOf(m.Start)
		var counts, sites []any
		for _, k := range series.SortedKeys(m.Counts) {
			if k.Count == series.Sites {
				sites = append(sites, k.Field(), m.Counts[k])
			} else {
				counts = append(counts, k.Field(), m.Counts[k])
			}
		}
		args := append([]any{start.Add(s.retention).UnixMilli(), series.SitesPerMinute, len(counts) / 2}, counts...)
		countsKey, sitesKey := s.keys(start)
		if err := addScript.Run(ctx, s.client, []string{countsKey, sitesKey}, append(args, sites...)...).Err(); err != nil {
			return fmt.Errorf("adding the counts of %s: %w", start.Format(time.DateTime), err)
		}
	}
	return nil
}

// Read implements series.Reader with one pipeline of two reads a minute.
func (s *Series) Read(ctx context.Context, from, to time.Time) ([]series.Minute, error) {
	starts, err := series.MinutesOf(from, to, s.retention)
	if err != nil {
		return nil, err
	}
	counts := make([]*redis.MapStringStringCmd, len(starts))
	sites := make([]*redis.ZSliceCmd, len(starts))
	_, err = s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, start := range starts {
			countsKey, sitesKey := s.keys(start)
			counts[i] = p.HGetAll(ctx, countsKey)
			sites[i] = p.ZRangeWithScores(ctx, sitesKey, 0, -1)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []series.Minute
	for i, start := range starts {
		m := series.Minute{Start: start, Counts: map[series.Key]int64{}}
		for field, value := range counts[i].Val() {
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("counter %q of %s: %w", field, start.Format(time.DateTime), err)
			}
			if err := addField(m.Counts, field, n); err != nil {
				return nil, err
			}
		}
		for _, z := range sites[i].Val() {
			field, _ := z.Member.(string)
			if err := addField(m.Counts, field, int64(z.Score)); err != nil {
				return nil, err
			}
		}
		if len(m.Counts) > 0 {
			out = append(out, m)
		}
	}
	return out, nil
}

// addField adds n to the counter field names.
func addField(counts map[series.Key]int64, field string, n int64) error {
	k, err := series.ParseField(field)
	if err != nil {
		return err
	}
	counts[k] += n
	return nil
}
