package reports

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestMemoryCountsDistinctReportersInTheWindow(t *testing.T) {
	m := NewMemory(time.Hour, 0)
	ctx, t0 := context.Background(), time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		site, reporter string
		at             time.Duration
		distinct       int
		first          bool
	}{
		{"scam.example", "a", 0, 1, true},
		{"scam.example", "a", time.Minute, 1, false},
		{"scam.example", "b", 2 * time.Minute, 2, true},
		{"other.example", "c", 3 * time.Minute, 1, true},
		{"scam.example", "c", 4 * time.Minute, 3, true},
		// a's latest report was at 1m: gone an hour later, b's not yet.
		{"scam.example", "d", 61*time.Minute + time.Second, 3, true},
		// b's, at 2m, is gone at 62m: a counts anew.
		{"scam.example", "a", 62 * time.Minute, 3, true},
		{"scam.example", "e", 200 * time.Minute, 1, true},
	}
	for i, s := range steps {
		n, first, err := m.Add(ctx, s.site, s.reporter, t0.Add(s.at))
		if err != nil || n != s.distinct || first != s.first {
			t.Errorf("step %d (%s by %s at %v): %d, %v, %v; want %d, %v", i, s.site, s.reporter, s.at, n, first, err, s.distinct, s.first)
		}
	}
}

func TestMemoryStaysBounded(t *testing.T) {
	m := NewMemory(time.Hour, 10)
	ctx, now := context.Background(), time.Now()
	for i := range 100 {
		m.Add(ctx, fmt.Sprintf("site-%d.example", i), "a", now.Add(time.Duration(i)*time.Second))
	}
	if len(m.sites) > 10 {
		t.Errorf("%d sites remembered, at most 10", len(m.sites))
	}
	if _, ok := m.sites["site-99.example"]; !ok {
		t.Error("the latest site was forgotten")
	}
	for i := range MaxReporters + 50 {
		m.Add(ctx, "busy.example", fmt.Sprint(i), now)
	}
	if n, _, _ := m.Add(ctx, "busy.example", "one more", now); n != MaxReporters {
		t.Errorf("%d reporters remembered for one site, want the bound %d", n, MaxReporters)
	}
}
