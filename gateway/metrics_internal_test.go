package gateway

import (
	"fmt"
	"sync"
	"testing"
)

// A bounded byLabel gives each value its own metric up to its limit, and
// every value past it the metric of other, however many come at once.
func TestByLabelBoundsItsValues(t *testing.T) {
	var (
		mu      sync.Mutex
		created = map[string]int{}
	)
	b := byLabel[string, string]{with: func(v string) string {
		mu.Lock()
		defer mu.Unlock()
		created[v]++
		return v
	}, limit: 10, other: otherLabel}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				value := fmt.Sprintf("rule-%d", (i+w)%100)
				if got := b.get(value); got != value && got != otherLabel {
					t.Errorf("get(%q) = %q", value, got)
				}
			}
		})
	}
	wg.Wait()
	if n := len(*b.children.Load()); n > 11 {
		t.Errorf("%d values kept, want the limit of 10 and other", n)
	}
	for v, n := range created {
		if n != 1 {
			t.Errorf("the metric of %q was made %d times", v, n)
		}
	}
	if created[otherLabel] != 1 {
		t.Errorf("other was made %d times, want once", created[otherLabel])
	}
	kept := *b.children.Load()
	for v := range kept {
		if got := b.get(v); got != v {
			t.Errorf("a kept value %q now gets %q", v, got)
		}
	}
}
