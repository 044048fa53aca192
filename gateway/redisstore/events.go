package redisstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/events"
)

// DefaultEventCap is the approximate length cap of each event stream
// unless told otherwise.
const DefaultEventCap = 1_000_000

// EventsOptions tune an Events store. The zero value is usable.
type EventsOptions struct {
	Prefix string // key prefix; DefaultPrefix when empty
	Cap    int64  // approximate length cap of each stream; DefaultEventCap when 0
}

// Events is an events.Sink and events.Reader in Redis: one stream per kind.
type Events struct {
	client redis.UniversalClient
	prefix string
	cap    int64
}

var (
	_ events.Sink   = (*Events)(nil)
	_ events.Reader = (*Events)(nil)
)

// NewEvents returns an event store in Redis through client.
func NewEvents(client redis.UniversalClient, opts EventsOptions) *Events {
	if opts.Cap <= 0 {
		opts.Cap = DefaultEventCap
	}
	return &Events{client: client, prefix: prefixOr(opts.Prefix), cap: opts.Cap}
}

func (s *Events) stream(kind events.Kind) string {
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
			p.XAdd(ctx, &redis.XAddArgs{
				Stream: s.stream(e.Kind),
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

// Recent implements events.Reader. It selects by the time Redis stored an
// event and then by the event's own time.
func (s *Events) Recent(ctx context.Context, kind events.Kind, since time.Time, limit int) ([]events.Event, error) {
	if limit <= 0 {
		return nil, nil
	}
	start := "-"
	if !since.IsZero() {
		start = strconv.FormatInt(max(since.UnixMilli(), 0), 10)
	}
	entries, err := s.client.XRevRangeN(ctx, s.stream(kind), "+", start, int64(limit)).Result()
	if err != nil {
		return nil, err
	}
	out := make([]events.Event, 0, len(entries))
	for _, entry := range entries {
		raw, _ := entry.Values["event"].(string)
		var e events.Event
		if err := json.Unmarshal([]byte(raw), &e); err != nil {
			return nil, fmt.Errorf("event %s in %s: %w", entry.ID, s.stream(kind), err)
		}
		if !e.Time.Before(since) {
			out = append(out, e)
		}
	}
	return out, nil
}
