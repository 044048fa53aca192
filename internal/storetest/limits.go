package storetest

import (
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/ratelimit"
)

func testLimits(t *testing.T, open Open) {
	b := open(t)()
	limit := ratelimit.Limit{Every: time.Minute, Burst: 3}
	l := b.NewLimiter("report", limit)
	for i := range 3 {
		if ok, _, err := l.Allow(ctx(t), "user-a"); !ok || err != nil {
			t.Fatalf("action %d of the burst: %v, %v", i+1, ok, err)
		}
	}
	ok, retry, err := l.Allow(ctx(t), "user-a")
	if ok || err != nil || retry <= 59*time.Second || retry > time.Minute {
		t.Errorf("past the burst: %v, retry after %v, %v; want refused for about a minute", ok, retry, err)
	}
	if ok, _, _ := l.Allow(ctx(t), "user-b"); !ok {
		t.Error("another key is limited too")
	}
	if ok, _, _ := b.NewLimiter("rewrite", limit).Allow(ctx(t), "user-a"); !ok {
		t.Error("a limiter of another name shares the key")
	}
	// A quarter of a second between actions: long enough that a loaded
	// machine makes the second action within it.
	every := 250 * time.Millisecond
	fast := b.NewLimiter("fast", ratelimit.Limit{Every: every, Burst: 1})
	if ok, _, _ := fast.Allow(ctx(t), "k"); !ok {
		t.Fatal("first action refused")
	}
	ok, retry, _ = fast.Allow(ctx(t), "k")
	if ok || retry <= 0 || retry > every {
		t.Fatalf("second action: %v, retry %v", ok, retry)
	}
	time.Sleep(retry)
	eventually(t, "allowed again after Retry-After", func() bool { ok, _, _ := fast.Allow(ctx(t), "k"); return ok })
}
