package ratelimit

import (
	"testing"
	"time"
)

func TestThrottleLetsOneThroughPerInterval(t *testing.T) {
	th := NewThrottle(10 * time.Second)
	t0 := time.Unix(1_700_000_000, 0)
	steps := []struct {
		after   time.Duration
		ok      bool
		leftOut int
	}{
		{0, true, 0},
		{time.Second, false, 0},
		{9 * time.Second, false, 0},
		{10 * time.Second, true, 2},
		{15 * time.Second, false, 0},
		{time.Hour, true, 1},
		{time.Hour + 10*time.Second, true, 0},
	}
	for _, s := range steps {
		if ok, leftOut := th.Allow(t0.Add(s.after)); ok != s.ok || leftOut != s.leftOut {
			t.Errorf("at +%v: %v with %d left out; want %v with %d", s.after, ok, leftOut, s.ok, s.leftOut)
		}
	}
}
