package ratelimit

import (
	"sync"
	"time"
)

// Throttle lets one event through per interval and counts those it holds
// back: for log lines that a flood must not multiply. It is safe for
// concurrent use.
type Throttle struct {
	every time.Duration

	mu      sync.Mutex
	last    time.Time // of the last event let through; zero before the first
	leftOut int
}

// NewThrottle returns a Throttle letting one event through per every.
func NewThrottle(every time.Duration) *Throttle {
	return &Throttle{every: every}
}

// Allow reports whether an event at now goes through and, when it does,
// how many were held back since the last that did.
func (t *Throttle) Allow(now time.Time) (ok bool, leftOut int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.last.IsZero() && now.Sub(t.last) < t.every {
		t.leftOut++
		return false, 0
	}
	leftOut, t.leftOut, t.last = t.leftOut, 0, now
	return true, leftOut
}
