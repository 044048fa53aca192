// Package ratelimit limits how often one key (a user hash, a client) may
// act, with the generic cell rate algorithm (GCRA): a Limit allows Burst
// actions at once and then one every Every, and a refusal says exactly when
// the next action will be allowed.
//
// Memory is the in-process limiter; package redisstore has one shared by
// every replica, which falls back to a Memory while Redis is unreachable.
// Throttle, simpler, lets one event through per interval, for log lines.
package ratelimit

import (
	"context"
	"fmt"
	"time"
)

// Limiter decides whether a key may act now.
type Limiter interface {
	// Allow counts one action of key and reports whether it is allowed and,
	// when not, how long until it would be. A non-nil error reports a
	// degraded limiter (a Redis failure); ok and retryAfter then come from
	// its local fallback and are still to be used.
	Allow(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error)
}

// Limit is a rate with a burst.
type Limit struct {
	Every time.Duration // one action per Every on average
	Burst int           // actions allowed at once, at least 1
}

// PerMinute is a Limit of n actions a minute with the given burst.
func PerMinute(n, burst int) Limit {
	if n <= 0 {
		return Limit{Burst: burst}
	}
	return Limit{Every: time.Minute / time.Duration(n), Burst: burst}
}

// Check reports whether l is usable.
func (l Limit) Check() error {
	if l.Every < time.Microsecond {
		return fmt.Errorf("ratelimit: interval %v is shorter than 1µs", l.Every)
	}
	if l.Burst < 1 || l.Burst > 1_000_000 {
		return fmt.Errorf("ratelimit: burst %d is not from 1 to 1000000", l.Burst)
	}
	return nil
}

// Decide applies GCRA: tat is the key's theoretical arrival time (zero or
// past for an idle key). It returns whether an action at now is allowed,
// the new tat to keep when it is, and otherwise how long until it would be.
func (l Limit) Decide(tat, now time.Time) (ok bool, newTAT time.Time, retryAfter time.Duration) {
	if tat.Before(now) {
		tat = now
	}
	newTAT = tat.Add(l.Every)
	if wait := newTAT.Sub(now) - time.Duration(l.Burst)*l.Every; wait > 0 {
		return false, tat, wait
	}
	return true, newTAT, 0
}
