// Package series keeps counts of events per minute and per hour: decisions
// by action, warnings and click-throughs by reason, reports, and decisions
// by registrable domain, bounded. Statistics over an hour, a day or a week
// then read buckets, not events, and cost the same whatever the traffic:
// Total reads a period as its whole hours and the minutes at its edges.
//
// A Recorder folds the batches the event queue takes from /go (see
// events.QueueOptions.Tally) into counts in memory, and adds them to a
// Store every few seconds, in the background: /go never waits on it.
// MemoryStore keeps the minutes in this process; package redisstore keeps
// them in Redis, shared by the replicas, with an expiry.
//
// # Bounds
//
// Actions and reasons come from the gateway's own vocabulary (package
// verdict), so a bucket has a few dozen of those counters at most. Domains
// come from what users click, so a bucket keeps the clicks of at most
// SitesKept (action, domain) pairs: when one more comes, the pair with the
// fewest clicks gives way, as a Redis sorted set popping its minimum does.
// A domain clicked often in a minute or an hour stays; a flood of domains
// clicked once each cannot push it out. The clicks of the pairs that gave
// way stay in their action's total (Summary.OtherClicks).
package series

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/verdict"
)

// SitesKept is how many (action, domain) pairs a bucket counts by name at
// most.
const SitesKept = 100

// DefaultRetention is how long a Store keeps an hour after its end unless
// told otherwise: a week, and a day more so that a week's view is whole.
const DefaultRetention = 8 * 24 * time.Hour

// MinuteRetention is how long a Store keeps a minute after its end at
// most: long enough for a day drawn minute by minute, and for the edges
// of any period Total reads; older periods are read by the hour. A week
// of minutes would be 60 times the hours' size, in Redis or in memory.
const MinuteRetention = 26 * time.Hour

// Retention is how long a store whose hours are kept for retention keeps
// a bucket of span after its end.
func Retention(span, retention time.Duration) time.Duration {
	if span == time.Minute {
		return min(retention, MinuteRetention)
	}
	return retention
}

// Spans are the lengths of the buckets a Store keeps: every minute, and
// every hour for reading long periods.
var Spans = []time.Duration{time.Minute, time.Hour}

// Count says what a counter counts.
type Count string

// The counts of a minute.
const (
	Decisions Count = "decision"  // decisions of /go, by Key.Action
	Warned    Count = "warned"    // warn decisions, by Key.Name: a reason
	Continues Count = "continue"  // click-throughs past a warning
	Continued Count = "continued" // click-throughs, by Key.Name: a reason
	Reports   Count = "report"    // links reported by users
	Sites     Count = "site"      // decisions by Key.Action and Key.Name: a registrable domain
)

// Key names one counter of a minute.
type Key struct {
	Count  Count
	Action verdict.Action // of Decisions and Sites
	Name   string         // the reason of Warned and Continued, the domain of Sites
}

// Field is the key as one string, the name of its field in Redis:
// "decision:warn", "warned:external", "continue", "continued:external",
// "report", "site:warn shop.example". ParseField reads it back.
func (k Key) Field() string {
	switch k.Count {
	case Decisions:
		return string(k.Count) + ":" + string(k.Action)
	case Sites:
		return string(k.Count) + ":" + string(k.Action) + " " + k.Name
	case Warned, Continued:
		return string(k.Count) + ":" + k.Name
	}
	return string(k.Count)
}

// ParseField reads a key written by Field. It refuses an unknown count or
// action and an empty reason or domain, so that a stored counter of
// another version is not misread.
func ParseField(field string) (Key, error) {
	count, rest, hasRest := strings.Cut(field, ":")
	k := Key{Count: Count(count)}
	switch k.Count {
	case Continues, Reports:
		if hasRest {
			return Key{}, fmt.Errorf("counter %q: %s takes no name", field, count)
		}
		return k, nil
	case Decisions:
		k.Action = verdict.Action(rest)
	case Sites:
		action, name, _ := strings.Cut(rest, " ")
		k.Action, k.Name = verdict.Action(action), name
		if name == "" {
			return Key{}, fmt.Errorf("counter %q: no domain", field)
		}
	case Warned, Continued:
		if rest == "" {
			return Key{}, fmt.Errorf("counter %q: no reason", field)
		}
		k.Name = rest
		return k, nil
	default:
		return Key{}, fmt.Errorf("counter %q: unknown count", field)
	}
	if !slices.Contains(verdict.Actions, k.Action) {
		return Key{}, fmt.Errorf("counter %q: unknown action", field)
	}
	return k, nil
}

// Bucket is the counts of one minute or one hour.
type Bucket struct {
	Start  time.Time // UTC, a whole minute or hour
	Counts map[Key]int64
}

// StartOf returns the start of the bucket of span that t falls in, in UTC.
func StartOf(t time.Time, span time.Duration) time.Time {
	return t.UTC().Truncate(span)
}

// Reader reads buckets back.
type Reader interface {
	// Read returns the buckets of span (one of Spans) that have counts,
	// from the one from falls in to the one to falls in, oldest first.
	Read(ctx context.Context, span time.Duration, from, to time.Time) ([]Bucket, error)
}

// Store keeps buckets.
type Store interface {
	Reader
	// Add adds the counts of each minute to its minute and its hour. After
	// a failure some minutes may be added already.
	Add(ctx context.Context, minutes []Bucket) error
}

// Errors of a read.
var (
	ErrRange = errors.New("series: the end of the range is before its start")
	ErrSpan  = errors.New("series: a bucket is a minute or an hour")
)

// Starts lists the starts of the buckets of span from from's to to's, none
// that a store whose hours are kept for retention no longer has: a read of
// ten years must not list five million minutes.
func Starts(span time.Duration, from, to time.Time, retention time.Duration) ([]time.Time, error) {
	if !slices.Contains(Spans, span) {
		return nil, ErrSpan
	}
	from, to = StartOf(from, span), StartOf(to, span)
	if to.Before(from) {
		return nil, ErrRange
	}
	from = latest(from, StartOf(time.Now().Add(-Retention(span, retention)-span), span))
	out := make([]time.Time, 0, max(int(to.Sub(from)/span)+1, 0))
	for m := from; !m.After(to); m = m.Add(span) {
		out = append(out, m)
	}
	return out, nil
}

// Total reads the buckets that cover from to to: the whole hours between
// them and the minutes at either edge, so that a day costs about 24 hours
// and 118 minutes whatever it counts. A period that starts more than
// MinuteRetention less an hour ago, whose first minutes are gone, starts
// at the start of its first hour.
func Total(ctx context.Context, r Reader, from, to time.Time) ([]Bucket, error) {
	if to.Before(from) {
		return nil, ErrRange
	}
	if time.Since(from) > MinuteRetention-time.Hour {
		from = StartOf(from, time.Hour)
	}
	firstHour := StartOf(from.Add(time.Hour-time.Minute), time.Hour)    // the first whole hour from from's minute
	lastHour := StartOf(to.Add(time.Minute), time.Hour).Add(-time.Hour) // the last whole hour up to to's minute
	if lastHour.Before(firstHour) {
		return r.Read(ctx, time.Minute, from, to)
	}
	var out []Bucket
	for _, part := range []struct {
		span     time.Duration
		from, to time.Time
	}{
		{time.Minute, from, firstHour.Add(-time.Minute)},
		{time.Hour, firstHour, lastHour},
		{time.Minute, lastHour.Add(time.Hour), to},
	} {
		if part.to.Before(StartOf(part.from, part.span)) {
			continue
		}
		buckets, err := r.Read(ctx, part.span, part.from, part.to)
		if err != nil {
			return nil, err
		}
		out = append(out, buckets...)
	}
	return out, nil
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// tally is the counts of one bucket as they grow, within the bound of
// SitesKept.
type tally struct {
	counts map[Key]int64
	sites  int
}

func newTally() *tally { return &tally{counts: map[Key]int64{}} }

// add adds n to k's counter. A new site past SitesKept makes the site
// with the fewest clicks give way, the first by Field among equals, as
// ZPOPMIN does: the new site itself when it has the fewest.
func (t *tally) add(k Key, n int64) {
	_, known := t.counts[k]
	t.counts[k] += n
	if known || k.Count != Sites {
		return
	}
	t.sites++
	if t.sites <= SitesKept {
		return
	}
	var least Key
	first := true
	for key, c := range t.counts {
		if key.Count != Sites {
			continue
		}
		if first || c < t.counts[least] || c == t.counts[least] && key.Field() < least.Field() {
			least, first = key, false
		}
	}
	delete(t.counts, least)
	t.sites--
}

// addAll adds counts, in the order of their fields so that which site
// gives way does not depend on the order of a map.
func (t *tally) addAll(counts map[Key]int64) {
	for _, k := range SortedKeys(counts) {
		t.add(k, counts[k])
	}
}

// SortedKeys returns the keys of counts in the order of their fields.
func SortedKeys(counts map[Key]int64) []Key {
	return slices.SortedFunc(maps.Keys(counts), func(a, b Key) int { return cmp.Compare(a.Field(), b.Field()) })
}

// fold adds what e counts. A decision with an action outside
// verdict.Actions, and an empty reason, count nowhere: Field could not
// name them.
func (t *tally) fold(e *events.Event) {
	switch e.Kind {
	case events.KindDecision:
		if !slices.Contains(verdict.Actions, e.Action) {
			return
		}
		t.add(Key{Count: Decisions, Action: e.Action}, 1)
		if e.Action == verdict.Warn {
			t.addReasons(Warned, e.Reasons)
		}
		if e.Site != "" {
			t.add(Key{Count: Sites, Action: e.Action, Name: e.Site}, 1)
		}
	case events.KindContinue:
		t.add(Key{Count: Continues}, 1)
		t.addReasons(Continued, e.Reasons)
	case events.KindReport:
		t.add(Key{Count: Reports}, 1)
	}
}

// addReasons counts each of reasons once under count.
func (t *tally) addReasons(count Count, reasons []string) {
	for _, r := range reasons {
		if r != "" {
			t.add(Key{Count: count, Name: r}, 1)
		}
	}
}
