package redisstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/events"
)

// DefaultEventCap is the approximate length cap of the event streams of
// one kind, all shards together, unless told otherwise.
const DefaultEventCap = 1_000_000

// DefaultEventShards is how many streams the events of one kind are
// spread over unless told otherwise.
const DefaultEventShards = 8

// MaxEventShards bounds EventsOptions.Shards: a read asks every shard.
const MaxEventShards = 64

// EventsOptions tune an Events store. The zero value is usable.
type EventsOptions struct {
	Prefix string // key prefix; DefaultPrefix when empty
	Cap    int64  // approximate length cap of one kind's streams together; DefaultEventCap when 0
	// Shards is how many streams each kind's events are spread over, so
	// that in a Redis Cluster no one node takes every event;
	// DefaultEventShards when 0.
	Shards int
}

// Events is an events.Sink and events.Reader in Redis. The events of each
// kind go round-robin to Shards streams, each under a hash tag of its own
// ("safelink:events:decision:{3}"), so that a Cluster spreads them over its
// nodes; a read merges the shards by the events' own time.
type Events struct {
	client redis.UniversalClient
	prefix string
	cap    int64 // per shard
	shards int
	next   atomic.Uint64 // the shard of the next event
}

var (
	_ events.Sink   = (*Events)(nil)
	_ events.Reader = (*Events)(nil)
)

// NewEvents returns an event store in Redis through client. It refuses a
// number of shards outside 1 to MaxEventShards.
func NewEvents(client redis.UniversalClient, opts EventsOptions) (*Events, error) {
	if opts.Cap <= 0 {
		opts.Cap = DefaultEventCap
	}
	if opts.Shards == 0 {
		opts.Shards = DefaultEventShards
	}
	if opts.Shards < 1 || opts.Shards > MaxEventShards {
		return nil, fmt.Errorf("event shards: %d is not between 1 and %d", opts.Shards, MaxEventShards)
	}
	return &Events{client: client, prefix: prefixOr(opts.Prefix), cap: max(opts.Cap/int64(opts.Shards), 1), shards: opts.Shards}, nil
}

// stream is the key of one shard of kind's events.
func (s *Events) stream(kind events.Kind, shard int) string {
	return s.prefix + ":events:" + string(kind) + ":{" + strconv.Itoa(shard) + "}"
}

// legacyStream is the one stream of kind's events that stores before the
// shards wrote; reads still merge it, so an upgrade loses no event.
func (s *Events) legacyStream(kind events.Kind) string {
	return s.prefix + ":events:" + string(kind)
}

// Write implements events.Sink with one pipelined XADD per event. After a
// failure some events of the batch may be stored already; the queue's
// retry then stores them twice, so counts are at least, not exactly, what
// happened.
func (s *Events) Write(ctx context.Context, batch []events.Event) error {
	_, err := s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, e := range batch {
			data, err := json.Marshal(e)
			if err != nil {
				return err
			}
			shard := int(s.next.Add(1) % uint64(s.shards))
			p.XAdd(ctx, &redis.XAddArgs{
				Stream: s.stream(e.Kind, shard),
				MaxLen: s.cap,
				Approx: true,
				Values: []any{"event", data},
			})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("writing %d events: %w", len(batch), err)
	}
	return nil
}

// Recent implements events.Reader: the newest events of kind at or after
// since, up to limit, newest first. It reads up to limit entries of every
// shard, selected by the time Redis stored them, and merges them by the
// event's own time; then it selects by that time.
func (s *Events) Recent(ctx context.Context, kind events.Kind, since time.Time, limit int) ([]events.Event, error) {
	if limit <= 0 {
		return nil, nil
	}
	start := "-"
	if !since.IsZero() {
		start = strconv.FormatInt(max(since.UnixMilli(), 0), 10)
	}
	keys := make([]string, 0, s.shards+1)
	for shard := range s.shards {
		keys = append(keys, s.stream(kind, shard))
	}
	keys = append(keys, s.legacyStream(kind))
	reads := make([]*redis.XMessageSliceCmd, len(keys))
	_, err := s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, key := range keys {
			reads[i] = p.XRevRangeN(ctx, key, "+", start, int64(limit))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	type stored struct {
		id    streamID
		event events.Event
	}
	var all []stored
	for i, read := range reads {
		for _, entry := range read.Val() {
			id, err := parseStreamID(entry.ID)
			raw, _ := entry.Values["event"].(string)
			var e events.Event
			if err == nil {
				err = json.Unmarshal([]byte(raw), &e)
			}
			if err != nil {
				return nil, fmt.Errorf("event %s in %s: %w", entry.ID, keys[i], err)
			}
			all = append(all, stored{id: id, event: e})
		}
	}
	// Newest first by the event's own time, then by Redis's clock and the
	// order of a stream. Not by Redis's clock first: in a Cluster the shards
	// live on nodes whose clocks differ, and one batch reaches them in
	// parallel.
	slices.SortFunc(all, func(a, b stored) int {
		return cmp.Or(b.event.Time.Compare(a.event.Time), cmp.Compare(b.id.ms, a.id.ms), cmp.Compare(b.id.seq, a.id.seq))
	})
	out := make([]events.Event, 0, min(len(all), limit))
	for _, st := range all[:min(len(all), limit)] {
		if !st.event.Time.Before(since) {
			out = append(out, st.event)
		}
	}
	return out, nil
}

// streamID is the id Redis gives a stream entry: the milliseconds of its
// clock when it stored the entry and a sequence number within them.
type streamID struct{ ms, seq uint64 }

func parseStreamID(id string) (streamID, error) {
	msText, seqText, ok := strings.Cut(id, "-")
	ms, err1 := strconv.ParseUint(msText, 10, 64)
	seq, err2 := strconv.ParseUint(seqText, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return streamID{}, errors.New("not a stream id")
	}
	return streamID{ms, seq}, nil
}
