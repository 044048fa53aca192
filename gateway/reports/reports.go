// Package reports counts the distinct people who report each site, so that
// the gateway can warn about a site many people report within a short
// time, before anyone of the security team has read a report.
//
// A Counter remembers, per site, the pseudonyms of the clients who
// reported it within a sliding window. Memory is the embedded default and
// the Redis one, shared by every replica, lives in package redisstore.
package reports

import (
	"context"
	"sync"
	"time"
)

// MaxReporters bounds the reporters a counter remembers for one site: far
// more than any threshold, so a count at the bound still crosses it.
const MaxReporters = 1000

// Counter counts the distinct reporters of each site within a window.
// Implementations are safe for concurrent use.
type Counter interface {
	// Add records that reporter (a pseudonym) reported site at now. It
	// returns how many distinct reporters reported site in the window
	// ending at now, this one included, and whether this report is the
	// reporter's first of the site in that window, so that exactly one
	// caller sees the count reach a threshold.
	Add(ctx context.Context, site, reporter string, now time.Time) (distinct int, first bool, err error)
}

// DefaultMaxSites bounds the sites a Memory counter remembers.
const DefaultMaxSites = 10000

// Memory is a Counter in memory, for a single instance. It remembers at
// most maxSites sites: past that, the site reported least recently is
// forgotten.
type Memory struct {
	window   time.Duration
	maxSites int

	mu    sync.Mutex
	sites map[string]*site
}

// site is what a Memory counter remembers of one site.
type site struct {
	reporters map[string]time.Time // pseudonym → its latest report
	last      time.Time
}

// NewMemory returns a Memory counter over the given window, remembering
// at most maxSites sites (DefaultMaxSites when 0 or less).
func NewMemory(window time.Duration, maxSites int) *Memory {
	if maxSites <= 0 {
		maxSites = DefaultMaxSites
	}
	return &Memory{window: window, maxSites: maxSites, sites: map[string]*site{}}
}

// Add implements Counter.
func (m *Memory) Add(_ context.Context, name, reporter string, now time.Time) (int, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.sites[name]
	if s == nil {
		m.makeRoom(now)
		s = &site{reporters: map[string]time.Time{}}
		m.sites[name] = s
	}
	s.forget(now.Add(-m.window))
	_, seen := s.reporters[reporter]
	if seen || len(s.reporters) < MaxReporters {
		s.reporters[reporter] = now
	}
	s.last = now
	return len(s.reporters), !seen, nil
}

// forget drops the reporters whose latest report is at or before cutoff.
func (s *site) forget(cutoff time.Time) {
	for r, at := range s.reporters {
		if !at.After(cutoff) {
			delete(s.reporters, r)
		}
	}
}

// makeRoom forgets the sites with no report in the window and, when the
// counter is still full, the one reported least recently.
func (m *Memory) makeRoom(now time.Time) {
	if len(m.sites) < m.maxSites {
		return
	}
	cutoff := now.Add(-m.window)
	var oldest string
	for name, s := range m.sites {
		if !s.last.After(cutoff) {
			delete(m.sites, name)
			continue
		}
		if oldest == "" || s.last.Before(m.sites[oldest].last) {
			oldest = name
		}
	}
	if len(m.sites) >= m.maxSites {
		delete(m.sites, oldest)
	}
}
