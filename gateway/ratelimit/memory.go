package ratelimit

import (
	"context"
	"slices"
	"sync"
	"time"
)

// DefaultMaxKeys bounds the keys a Memory tracks unless told otherwise.
const DefaultMaxKeys = 100_000

// sweepEvery is how often a Memory forgets idle keys.
const sweepEvery = time.Minute

// Memory is a Limiter for one process. Its memory is bounded: a key whose
// state has drained is idle, indistinguishable from a new key, and is
// forgotten; when MaxKeys keys are busy at once, the ones closest to idle
// are forgotten first.
type Memory struct {
	limit   Limit
	maxKeys int
	now     func() time.Time

	mu        sync.Mutex
	tat       map[string]time.Time
	lastSweep time.Time
}

// NewMemory returns a Memory applying limit to at most maxKeys keys
// (DefaultMaxKeys when maxKeys <= 0). It panics on a limit that fails
// Check, a programming error.
func NewMemory(limit Limit, maxKeys int) *Memory {
	return newMemoryAt(limit, maxKeys, time.Now)
}

func newMemoryAt(limit Limit, maxKeys int, now func() time.Time) *Memory {
	if err := limit.Check(); err != nil {
		panic(err)
	}
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	return &Memory{limit: limit, maxKeys: maxKeys, now: now, tat: map[string]time.Time{}}
}

// Allow implements Limiter; its error is always nil.
func (m *Memory) Allow(ctx context.Context, key string) (bool, time.Duration, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.lastSweep) >= sweepEvery {
		m.forgetIdle(now)
	}
	tat, known := m.tat[key]
	ok, newTAT, retryAfter := m.limit.Decide(tat, now)
	if ok {
		if !known && len(m.tat) >= m.maxKeys {
			m.makeRoom(now)
		}
		m.tat[key] = newTAT
	}
	return ok, retryAfter, nil
}

// Len is the number of keys tracked.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.tat)
}

// forgetIdle drops the keys whose state has drained. m.mu is held.
func (m *Memory) forgetIdle(now time.Time) {
	m.lastSweep = now
	for k, tat := range m.tat {
		if !tat.After(now) {
			delete(m.tat, k)
		}
	}
}

// makeRoom frees at least a tenth of maxKeys: idle keys first, then the
// keys that would drain soonest. m.mu is held.
func (m *Memory) makeRoom(now time.Time) {
	m.forgetIdle(now)
	target := m.maxKeys - max(m.maxKeys/10, 1)
	if len(m.tat) <= target {
		return
	}
	// Forget the keys closest to idle: those at or below the cut time.
	times := make([]time.Time, 0, len(m.tat))
	for _, tat := range m.tat {
		times = append(times, tat)
	}
	slices.SortFunc(times, time.Time.Compare)
	cut := times[len(m.tat)-target-1]
	for k, tat := range m.tat {
		if !tat.After(cut) {
			delete(m.tat, k)
		}
	}
}
