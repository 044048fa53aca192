// Package series keeps counts of events per minute: decisions by action,
// warnings and click-throughs by reason, reports, and decisions by
// registrable domain, bounded. Statistics over an hour, a day or a week
// then read minutes, not events, and cost the same whatever the traffic.
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
// verdict), so a minute has a few dozen of those counters at most. Domains
// come from what users click, so a minute keeps the clicks of at most
// SitesPerMinute (action, domain) pairs: when one more comes, the pair with
// the fewest clicks gives way, as a Redis sorted set popping its minimum
// does. A domain clicked often in a minute stays; a flood of domains
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

// SitesPerMinute is how many (action, domain) pairs a minute counts by
// name at most.
const SitesPerMinute = 100

// DefaultRetention is how long a Store keeps a minute unless told
// otherwise: a week, and a day more so that a week's view is whole.
const DefaultRetention = 8 * 24 * time.Hour

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

// Minute is the counts of one minute.
type Minute struct {
	Start  time.Time // UTC, a whole minute
	Counts map[Key]int64
}

// MinuteOf returns the start of the minute t falls in, in UTC.
func MinuteOf(t time.Time) time.Time {
	return t.UTC().Truncate(time.Minute)
}

// Reader reads minutes back.
type Reader interface {
	// Read returns the minutes that have counts from the one from falls in
	// to the one to falls in, oldest first.
	Read(ctx context.Context, from, to time.Time) ([]Minute, error)
}

// Store keeps minutes.
type Store interface {
	Reader
	// Add adds the counts of each minute to those stored. After a failure
	// some minutes may be added already.
	Add(ctx context.Context, minutes []Minute) error
}

// ErrRange refuses a read whose end is before its start.
var ErrRange = errors.New("series: the end of the range is before its start")

// MinutesOf lists the starts of the minutes from from's to to's, none
// before the minute retention ago: a store has no older ones, and a read
// of ten years must not list five million minutes.
func MinutesOf(from, to time.Time, retention time.Duration) ([]time.Time, error) {
	from, to = MinuteOf(from), MinuteOf(to)
	if to.Before(from) {
		return nil, ErrRange
	}
	from = latest(from, MinuteOf(time.Now().Add(-retention)))
	out := make([]time.Time, 0, int(to.Sub(from)/time.Minute)+1)
	for m := from; !m.After(to); m = m.Add(time.Minute) {
		out = append(out, m)
	}
	return out, nil
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// tally is the counts of one minute as they grow, within the bound of
// SitesPerMinute.
type tally struct {
	counts map[Key]int64
	sites  int
}

func newTally() *tally { return &tally{counts: map[Key]int64{}} }

// add adds n to k's counter. A new site past SitesPerMinute makes the site
// with the fewest clicks give way, the first by Field among equals, as
// ZPOPMIN does: the new site itself when it has the fewest.
func (t *tally) add(k Key, n int64) {
	_, known := t.counts[k]
	t.counts[k] += n
	if known || k.Count != Sites {
		return
	}
	t.sites++
	if t.sites <= SitesPerMinute {
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
