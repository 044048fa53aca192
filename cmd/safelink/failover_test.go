package main

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/redisstore"
	"github.com/blibli/safelink/internal/redistest"
)

// blockRule is the admin API's body adding a block rule for domain.
func blockRule(domain string) map[string]string {
	return map[string]string{"match": "domain", "value": domain, "action": "block", "reason": "uji", "created_by": "test"}
}

// enforceWithin bounds how long a rule may take to reach every replica in
// the failover tests: generous, for a loaded machine after a failover.
const enforceWithin = 30 * time.Second

// waitEnforced waits until every gateway of ps blocks each of domains.
func waitEnforced(t *testing.T, ps []*gatewayProcess, domains ...string) {
	t.Helper()
	deadline := time.Now().Add(enforceWithin)
	for _, p := range ps {
		for _, d := range domains {
			for status, _ := p.get(t, goLink("https://"+d+"/")); status != http.StatusForbidden; status, _ = p.get(t, goLink("https://"+d+"/")) {
				if time.Now().After(deadline) {
					t.Fatalf("%s not blocked by %s within %v: %d", d, p.public, enforceWithin, status)
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

// failingOver is a Redis topology whose master a failover test kills.
type failingOver struct {
	// url is the topology's Redis URL, as the gateway takes it.
	url string
	// master opens a client of the master that holds the rules.
	master func(t *testing.T) redis.UniversalClient
	// kill kills that master and returns once a replica has taken over.
	kill func()
}

// TestSentinelFailoverUnderLoad kills the master of a Sentinel group while
// two replicas serve /go under load (see failoverUnderLoad).
func TestSentinelFailoverUnderLoad(t *testing.T) {
	group := redistest.StartSentinel(t)
	failoverUnderLoad(t, failingOver{
		url:    group.URL(),
		master: func(t *testing.T) redis.UniversalClient { return openRedis(t, group.URL()) },
		kill:   group.KillMaster,
	})
}

// TestClusterFailoverUnderLoad kills the master of the rules' slot in a
// Redis Cluster of three masters, each with a replica, while two replicas
// serve /go under load (see failoverUnderLoad). The killed master holds
// event shards too.
func TestClusterFailoverUnderLoad(t *testing.T) {
	cluster := redistest.StartCluster(t, 3, 1)
	var addr string
	failoverUnderLoad(t, failingOver{
		url: cluster.URL(),
		master: func(t *testing.T) redis.UniversalClient {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			master, err := openRedis(t, cluster.URL()).(*redis.ClusterClient).MasterForKey(ctx, "safelink:{rules}:all")
			if err != nil {
				t.Fatal(err)
			}
			addr = master.Options().Addr
			return master
		},
		kill: func() { cluster.KillMaster(addr) },
	})
}

// openRedis opens url as the gateway does, closed when the test ends.
func openRedis(t *testing.T, url string) redis.UniversalClient {
	t.Helper()
	rdb, err := redisstore.OpenRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// failoverUnderLoad kills the master of topology that holds the rules
// while two replicas serve /go under load: no 5xx and no wrong answer;
// admin calls during the failover answer, success or an error, within
// their deadline; rules added before, during and after the failover are
// enforced on both replicas; every click is an event written or counted as
// dropped or failed on the gateway's metrics. It logs the figures.
func failoverUnderLoad(t *testing.T, topology failingOver) {
	a, b := redisGateway(t, topology.url), redisGateway(t, topology.url)
	both := []*gatewayProcess{a, b}
	if status, body := a.addRule(t, blockRule("sebelum.com")); status != http.StatusCreated {
		t.Fatalf("add rule: %d %s", status, body)
	}
	waitEnforced(t, both, "sebelum.com")
	// Replication is asynchronous: a crash may lose what the replica has
	// not acknowledged yet.
	if n, err := topology.master(t).Do(context.Background(), "WAIT", 1, 5000).Int(); n != 1 || err != nil {
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
	killed := time.Now()
	topology.kill()
	failedOver.Store(true)
	promoted := time.Now()

	enforced := []string{"sebelum.com"}
	refused := 0
	made := <-calls
	for _, c := range made {
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
	deadline := time.Now().Add(enforceWithin)
	for {
		status, body := b.addRule(t, blockRule("sesudah.com"))
		if status == http.StatusCreated {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("add rule after the failover: %d %s", status, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	enforced = append(enforced, "sesudah.com")
	waitEnforced(t, both, enforced...)
	consistent := time.Now()
	load := stop()

	var written, dropped, failed float64
	var clicks int64
	for _, p := range both {
		w, d, f := p.settledEvents(t)
		written, dropped, failed = written+w, dropped+d, failed+f
		clicks += p.clicks.Load()
	}
	t.Logf("failover: the replica took over %v after the kill; every rule enforced on both gateways %v after the kill", promoted.Sub(killed), consistent.Sub(killed))
	t.Logf("failover: %d requests, %d errors, %d wrong answers; %d admin calls during it, %d refused; %d rules enforced on both gateways",
		load.requests, len(load.errors), len(load.wrong), len(made), refused, len(enforced))
	t.Logf("failover: %d clicks, events %.0f written, %.0f dropped (queue full), %.0f failed (given up after retries)", clicks, written, dropped, failed)
	if failures := load.failures(); len(failures) > 0 {
		t.Errorf("%d errors and %d wrong answers in %d requests, first: %v", len(load.errors), len(load.wrong), load.requests, failures)
	}
	if written+dropped+failed != float64(clicks) {
		t.Errorf("%d clicks but %.0f events written, dropped or failed: some lost silently", clicks, written+dropped+failed)
	}
}

// settledEvents waits until the gateway's event queue is empty and reads
// its counts of events written, dropped and given up.
func (p *gatewayProcess) settledEvents(t *testing.T) (written, dropped, failed float64) {
	t.Helper()
	deadline := time.Now().Add(enforceWithin)
	for p.metric(t, "safelink_event_queue_depth") != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("events still queued %v after the load", enforceWithin)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return p.metric(t, "safelink_events_written_total"), p.metric(t, "safelink_events_dropped_total"), p.metric(t, "safelink_events_failed_total")
}
