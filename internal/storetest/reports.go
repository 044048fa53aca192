package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// reportWindow is the window of the report counters of the contract.
const reportWindow = time.Hour

// testReports checks the report counter: distinct reporters of a site
// within the window, counted across replicas, and exactly one report
// reaching a threshold however many replicas count at once.
func testReports(t *testing.T, open Open) {
	replica := open(t)
	a, b := replica().NewReports(reportWindow), replica().NewReports(reportWindow)
	t0 := time.Now().Truncate(time.Millisecond)
	steps := []struct {
		replica   int
		site, who string
		at        time.Duration
		distinct  int
		first     bool
	}{
		{0, "scam.example", "p1", 0, 1, true},
		{1, "scam.example", "p1", time.Second, 1, false},
		{1, "scam.example", "p2", 2 * time.Second, 2, true},
		{0, "other.example", "p3", 3 * time.Second, 1, true},
		{0, "scam.example", "p3", 4 * time.Second, 3, true},
		{1, "scam.example", "p4", reportWindow + 1500*time.Millisecond, 3, true},
	}
	for i, s := range steps {
		c := a
		if s.replica == 1 {
			c = b
		}
		n, first, err := c.Add(ctx(t), s.site, s.who, t0.Add(s.at))
		if err != nil || n != s.distinct || first != s.first {
			t.Errorf("step %d (%s by %s at %v on replica %d): %d, %v, %v; want %d, %v", i, s.site, s.who, s.at, s.replica, n, first, err, s.distinct, s.first)
		}
	}

	const threshold = 3
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		crossed int
	)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := a
			if i%2 == 1 {
				c = b
			}
			n, first, err := c.Add(ctx(t), "busy.example", fmt.Sprint("p", i%10), time.Now())
			if err != nil {
				t.Error(err)
			}
			if first && n == threshold {
				mu.Lock()
				crossed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if crossed != 1 {
		t.Errorf("40 reports by 10 reporters on two replicas reached the threshold %d times, want once", crossed)
	}
}
