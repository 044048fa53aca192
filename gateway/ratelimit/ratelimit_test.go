package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a manual time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestLimitCheck(t *testing.T) {
	tests := []struct {
		limit Limit
		ok    bool
	}{
		{Limit{Every: time.Second, Burst: 1}, true},
		{PerMinute(30, 5), true},
		{Limit{Every: 0, Burst: 1}, false},
		{PerMinute(0, 5), false},
		{Limit{Every: time.Second, Burst: 0}, false},
		{Limit{Every: time.Second, Burst: 2_000_000}, false},
	}
	for _, tt := range tests {
		if err := tt.limit.Check(); (err == nil) != tt.ok {
			t.Errorf("%+v.Check() = %v", tt.limit, err)
		}
	}
	if got := PerMinute(30, 5).Every; got != 2*time.Second {
		t.Errorf("PerMinute(30, 5).Every = %v", got)
	}
}

func TestMemoryBurstThenRate(t *testing.T) {
	c := &clock{now: time.Unix(1_700_000_000, 0)}
	m := newMemoryAt(Limit{Every: time.Second, Burst: 3}, 0, c.Now)
	ctx := context.Background()
	for i := range 3 {
		if ok, _, _ := m.Allow(ctx, "u"); !ok {
			t.Fatalf("action %d of the burst refused", i+1)
		}
	}
	ok, retry, err := m.Allow(ctx, "u")
	if ok || retry != time.Second || err != nil {
		t.Fatalf("fourth action: %v, retry %v, %v; want refused for 1s", ok, retry, err)
	}
	if ok, _, _ := m.Allow(ctx, "other"); !ok {
		t.Error("another key is limited too")
	}
	c.Advance(400 * time.Millisecond)
	if ok, retry, _ := m.Allow(ctx, "u"); ok || retry != 600*time.Millisecond {
		t.Errorf("after 400ms: %v, retry %v; want refused for 600ms", ok, retry)
	}
	c.Advance(600 * time.Millisecond)
	if ok, _, _ := m.Allow(ctx, "u"); !ok {
		t.Error("refused after waiting its Retry-After")
	}
	if ok, _, _ := m.Allow(ctx, "u"); ok {
		t.Error("a second action allowed right after one")
	}
	c.Advance(time.Hour)
	for i := range 3 {
		if ok, _, _ := m.Allow(ctx, "u"); !ok {
			t.Fatalf("after an hour, action %d of a new burst refused", i+1)
		}
	}
}

func TestMemoryForgetsIdleKeys(t *testing.T) {
	c := &clock{now: time.Unix(1_700_000_000, 0)}
	m := newMemoryAt(Limit{Every: time.Second, Burst: 2}, 100, c.Now)
	ctx := context.Background()
	for i := range 50 {
		m.Allow(ctx, fmt.Sprint("idle", i))
	}
	c.Advance(2 * sweepEvery)
	m.Allow(ctx, "new")
	if n := m.Len(); n != 1 {
		t.Errorf("%d keys after the idle ones drained, want 1", n)
	}
}

func TestMemoryStaysBounded(t *testing.T) {
	c := &clock{now: time.Unix(1_700_000_000, 0)}
	m := newMemoryAt(Limit{Every: time.Hour, Burst: 1}, 100, c.Now)
	ctx := context.Background()
	for i := range 1000 {
		c.Advance(time.Millisecond)
		m.Allow(ctx, fmt.Sprint("busy", i))
		if n := m.Len(); n > 100 {
			t.Fatalf("%d keys tracked, more than 100", n)
		}
	}
	if ok, _, _ := m.Allow(ctx, "busy999"); ok {
		t.Error("the newest busy key was forgotten before older ones")
	}
}

func TestMemoryIsSafeForConcurrentUse(t *testing.T) {
	m := NewMemory(Limit{Every: time.Hour, Burst: 10}, 0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if ok, _, _ := m.Allow(context.Background(), "shared"); ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if allowed != 10 {
		t.Errorf("%d of 800 concurrent actions allowed, want the burst of 10", allowed)
	}
}
