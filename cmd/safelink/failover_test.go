package main

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/redisstore"
	"github.com/blibli/safelink/internal/redistest"
)

// blockRule is the admin API's body adding a block rule for domain.
func blockRule(domain string) map[string]string {
	return map[string]string{"match": "domain", "value": domain, "action": "block", "reason": "uji", "created_by": "test"}
}

// waitEnforced waits until every gateway of ps blocks each of domains.
func waitEnforced(t *testing.T, ps []*gatewayProcess, domains ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for _, p := range ps {
		for _, d := range domains {
			for status, _ := p.get(t, goLink("https://"+d+"/")); status != http.StatusForbidden; status, _ = p.get(t, goLink("https://"+d+"/")) {
				if time.Now().After(deadline) {
					t.Fatalf("%s not blocked by %s within 10s: %d", d, p.public, status)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
	}
}

// adminCall is one admin call made during a failover.
type adminCall struct {
	domain string
	status int
	err    error
	took   time.Duration
}

// TestSentinelFailoverUnderLoad kills the master of a Sentinel group while
// two replicas serve /go under load: no 5xx and no wrong answer; admin
// calls during the failover answer, success or an error, within their
// deadline; rules added before, during and after the failover are enforced
// on both replicas.
func TestSentinelFailoverUnderLoad(t *testing.T) {
	group := redistest.StartSentinel(t)
	a, b := redisGateway(t, group.URL()), redisGateway(t, group.URL())
	both := []*gatewayProcess{a, b}
	if status, body := a.addRule(t, blockRule("sebelum.com")); status != http.StatusCreated {
		t.Fatalf("add rule: %d %s", status, body)
	}
	waitEnforced(t, both, "sebelum.com")
	// Replication is asynchronous: a crash may lose what the replica has
	// not acknowledged yet.
	rdb, err := redisstore.OpenRedis(group.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if n, err := rdb.Do(context.Background(), "WAIT", 1, 5000).Int(); n != 1 || err != nil {
		t.Fatalf("the replica acknowledged %d writes: %v", n, err)
	}

	links := mixedLinks()
	links[goLink("https://sebelum.com/")] = http.StatusForbidden
	stop := driveLoad(both, links)
	time.Sleep(300 * time.Millisecond)

	var failedOver atomic.Bool
	calls := make(chan []adminCall)
	go func() {
		var made []adminCall
		for i := 0; !failedOver.Load(); i++ {
			c := adminCall{domain: fmt.Sprintf("selama-%d.com", i)}
			start := time.Now()
			resp, err := a.postRule(blockRule(c.domain))
			c.took, c.err = time.Since(start), err
			if err == nil {
				c.status = resp.StatusCode
				resp.Body.Close()
			}
			made = append(made, c)
			time.Sleep(200 * time.Millisecond)
		}
		calls <- made
	}()
	start := time.Now()
	group.KillMaster()
	failedOver.Store(true)
	promoted := time.Now()
	t.Logf("the sentinels promoted the replica %v after the kill", promoted.Sub(start))

	enforced := []string{"sebelum.com"}
	refused := 0
	for _, c := range <-calls {
		switch {
		case c.err != nil:
			t.Errorf("admin call during the failover: %v", c.err)
		case c.took > gateway.AdminStoreTimeout+time.Second:
			t.Errorf("admin call during the failover answered %d after %v", c.status, c.took)
		case c.status == http.StatusCreated:
			enforced = append(enforced, c.domain)
		case c.status == http.StatusServiceUnavailable:
			refused++
		default:
			t.Errorf("admin call during the failover: %d", c.status)
		}
	}
	for i := 0; ; i++ {
		status, body := b.addRule(t, blockRule("sesudah.com"))
		if status == http.StatusCreated {
			break
		}
		if i == 50 {
			t.Fatalf("add rule after the failover: %d %s", status, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	enforced = append(enforced, "sesudah.com")
	waitEnforced(t, both, enforced...)
	t.Logf("every rule enforced on both replicas %v after the promotion", time.Since(promoted))
	requests, wrong := stop()
	if len(wrong) > 0 {
		t.Fatalf("%d of %d requests went wrong, first: %v", len(wrong), requests, wrong[:min(5, len(wrong))])
	}
	t.Logf("%d requests during the failover, none wrong; %d admin calls refused, %d rules enforced on both replicas",
		requests, refused, len(enforced))
}
