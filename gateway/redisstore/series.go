package redisstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/series"
)

// SeriesOptions tune a Series store. The zero value is usable.
type SeriesOptions struct {
	Prefix    string        // key prefix; DefaultPrefix when empty
	Retention time.Duration // how long an hour is kept after its end (a minute: series.Retention); series.DefaultRetention when 0
}

// Series is a series.Store in Redis. Each bucket, a minute or an hour, is
// two keys under a hash tag of its own, so that one script adds to both in
// one Cluster slot and the buckets spread over a Cluster's nodes:
//
//	<prefix>:stats:{m<unix minute>}:counts   hash: series.Key.Field → count
//	<prefix>:stats:{m<unix minute>}:sites    sorted set: site field → clicks, at most series.SitesKept
//	<prefix>:stats:{h<unix hour>}:counts     the same for an hour
//	<prefix>:stats:{h<unix hour>}:sites
//
// Both expire series.Retention after the bucket's end.
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

// keys are the keys of the bucket of span starting at start: its counts
// and its sites.
func (s *Series) keys(span time.Duration, start time.Time) (counts, sites string) {
	letter := "m"
	if span == time.Hour {
		letter = "h"
	}
	tag := s.prefix + ":stats:{" + letter + strconv.FormatInt(start.Unix()/int64(span/time.Second), 10) + "}:"
	return tag + "counts", tag + "sites"
}

// addScript adds to one bucket. ARGV: the expiry (Unix ms), the bound on
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

// Add implements series.Store with one script for each minute and one for
// each hour they fall in (a bucket is one Cluster slot; a minute and its
// hour are two). A bucket past its retention expires at once.
func (s *Series) Add(ctx context.Context, minutes []series.Bucket) error {
	for _, span := range series.Spans {
		for _, b := range sumBySpan(minutes, span) {
			if err := s.add(ctx, span, b); err != nil {
				return err
			}
		}
	}
	return nil
}

// sumBySpan adds up minutes into the buckets of span they fall in, in the
// order of their starts.
func sumBySpan(minutes []series.Bucket, span time.Duration) []series.Bucket {
	byStart := map[time.Time]map[series.Key]int64{}
	for _, m := range minutes {
		start := series.StartOf(m.Start, span)
		if byStart[start] == nil {
			byStart[start] = map[series.Key]int64{}
		}
		for k, n := range m.Counts {
			byStart[start][k] += n
		}
	}
	out := make([]series.Bucket, 0, len(byStart))
	for _, start := range slices.SortedFunc(maps.Keys(byStart), time.Time.Compare) {
		out = append(out, series.Bucket{Start: start, Counts: byStart[start]})
	}
	return out
}

// add runs addScript on one bucket.
func (s *Series) add(ctx context.Context, span time.Duration, b series.Bucket) error {
	var counts, sites []any
	for _, k := range series.SortedKeys(b.Counts) {
		if k.Count == series.Sites {
			sites = append(sites, k.Field(), b.Counts[k])
		} else {
			counts = append(counts, k.Field(), b.Counts[k])
		}
	}
	args := append([]any{b.Start.Add(span + series.Retention(span, s.retention)).UnixMilli(), series.SitesKept, len(counts) / 2}, counts...)
	countsKey, sitesKey := s.keys(span, b.Start)
	if err := addScript.Run(ctx, s.client, []string{countsKey, sitesKey}, append(args, sites...)...).Err(); err != nil {
		return fmt.Errorf("adding the counts of %s: %w", b.Start.Format(time.DateTime), err)
	}
	return nil
}

// Read implements series.Reader with one pipeline of two reads a bucket.
func (s *Series) Read(ctx context.Context, span time.Duration, from, to time.Time) ([]series.Bucket, error) {
	starts, err := series.Starts(span, from, to, s.retention)
	if err != nil {
		return nil, err
	}
	counts := make([]*redis.MapStringStringCmd, len(starts))
	sites := make([]*redis.ZSliceCmd, len(starts))
	_, err = s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, start := range starts {
			countsKey, sitesKey := s.keys(span, start)
			counts[i] = p.HGetAll(ctx, countsKey)
			sites[i] = p.ZRangeWithScores(ctx, sitesKey, 0, -1)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []series.Bucket
	for i, start := range starts {
		m := series.Bucket{Start: start, Counts: map[series.Key]int64{}}
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
