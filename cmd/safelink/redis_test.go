package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/internal/redistest"
)

// The admin token of the gateways started here, and the setting that
// names it secops.
const (
	testAdminToken  = "process-test-admin-token"
	testAdminTokens = "secops:" + testAdminToken
)

// testTokenKey signs the forms of gateways that share state, as every
// replica behind one address must.
const testTokenKey = "cHJvY2Vzcy10ZXN0LXRva2VuLWtleS1vZi0zMi1ieXRlcyE="

// adminPost adds a rule through a gateway's admin API.
func (p *gatewayProcess) addRule(t *testing.T, rule map[string]string) (int, string) {
	t.Helper()
	resp, err := p.postRule(rule)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// postRule sends rule to the gateway's admin API.
func (p *gatewayProcess) postRule(rule map[string]string) (*http.Response, error) {
	body, _ := json.Marshal(rule)
	req, _ := http.NewRequest(http.MethodPost, "http://"+p.internal+"/admin/v1/rules", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	return noRedirects.Do(req)
}

// status returns the gateway's /readyz body.
func (p *gatewayProcess) ready(t *testing.T) map[string]any {
	t.Helper()
	resp, err := noRedirects.Get("http://" + p.internal + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body
}

// waitReady polls /readyz until cond holds on it, for at most d.
func (p *gatewayProcess) waitReady(t *testing.T, d time.Duration, what string, cond func(map[string]any) bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond(p.ready(t)) {
		if time.Now().After(deadline) {
			t.Fatalf("not %s within %v: %v", what, d, p.ready(t))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func rulesSynced(body map[string]any) bool {
	r, ok := body["rules"].(map[string]any)
	return ok && r["last_sync"] != nil && r["error"] == nil
}

// loadResult is what a load sent and what came back wrong.
type loadResult struct {
	requests int64    // answers received
	errors   []string // requests that failed and answers with a 5xx
	wrong    []string // other answers with a status not the link's
}

// failures is every failed request and wrong answer of r, at most five.
func (r loadResult) failures() []string {
	all := append(slices.Clip(r.errors), r.wrong...)
	return all[:min(5, len(all))]
}

// driveLoad asks every gateway of ps for each of links from 8 workers until
// stop is called, which reports how many answers came and what went
// wrong: an error or a 5xx, or another status than the link's.
func driveLoad(ps []*gatewayProcess, links map[string]int) (stop func() loadResult) {
	var (
		done   atomic.Bool
		mu     sync.Mutex
		result loadResult
		wg     sync.WaitGroup
	)
	client := &http.Client{CheckRedirect: noRedirects.CheckRedirect, Timeout: 5 * time.Second}
	for range 8 {
		wg.Go(func() {
			for !done.Load() {
				for _, p := range ps {
					for link, want := range links {
						resp, err := client.Get("http://" + p.public + link)
						if err != nil {
							mu.Lock()
							result.errors = append(result.errors, err.Error())
							mu.Unlock()
							continue
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						p.clicks.Add(1)
						mu.Lock()
						result.requests++
						switch {
						case resp.StatusCode >= 500:
							result.errors = append(result.errors, fmt.Sprintf("%s: %d", link, resp.StatusCode))
						case resp.StatusCode != want:
							result.wrong = append(result.wrong, fmt.Sprintf("%s: %d, want %d", link, resp.StatusCode, want))
						}
						mu.Unlock()
					}
				}
			}
		})
	}
	return func() loadResult {
		done.Store(true)
		wg.Wait()
		return result
	}
}

// redisGateway starts a replica on the Redis of redisURL, whose admin token
// may add a rule a few times a second, as a script blocking a campaign's
// domains would; extra are more flags.
func redisGateway(t *testing.T, redisURL string, extra ...string) *gatewayProcess {
	t.Helper()
	p := startGateway(t, append([]string{"-redis-url", redisURL, "-token-key", testTokenKey, "-admin-tokens", testAdminTokens,
		"-admin-per-minute", "1000", "-log-format", "json"}, extra...)...)
	p.waitReady(t, 5*time.Second, "synced with Redis", rulesSynced)
	return p
}

// A block rule added through one replica is enforced by another within a
// second. The test measures the delay for 100 rules.
func TestReplicasShareRulesWithinASecond(t *testing.T) {
	rs := redistest.Start(t)
	a, b := redisGateway(t, rs.URL()), redisGateway(t, rs.URL())
	var delays []time.Duration
	for i := range 100 {
		domain := fmt.Sprintf("kampanye-%d.com", i)
		link := "/go?u=" + url.QueryEscape("https://promo."+domain+"/hadiah")
		if status, _ := b.get(t, link); status != http.StatusOK {
			t.Fatalf("%s before the rule: %d", domain, status)
		}
		start := time.Now()
		if status, body := a.addRule(t, map[string]string{"match": "domain", "value": domain, "action": "block", "reason": "kampanye phishing", "created_by": "test"}); status != http.StatusCreated {
			t.Fatalf("add rule: %d %s", status, body)
		}
		for {
			status, _ := b.get(t, link)
			if status == http.StatusForbidden {
				break
			}
			if time.Since(start) > time.Second {
				t.Fatalf("rule %d not enforced by the other replica within a second", i)
			}
		}
		delays = append(delays, time.Since(start))
	}
	slices.Sort(delays)
	t.Logf("block rule added on one replica, enforced by the other: p50 %v, p99 %v, max %v (100 rules)",
		delays[49].Round(time.Microsecond), delays[98].Round(time.Microsecond), delays[99].Round(time.Microsecond))
}

// Redis dies while /go is under load: no 5xx, the rules held in memory are
// still enforced, events are dropped or kept and counted; when Redis comes
// back the replica resyncs and its queue drains.
func TestRedisOutageUnderLoad(t *testing.T) {
	rs := redistest.Start(t)
	p := redisGateway(t, rs.URL())
	if status, body := p.addRule(t, map[string]string{"match": "domain", "value": "diblokir.com", "action": "block", "reason": "uji", "created_by": "test"}); status != http.StatusCreated {
		t.Fatalf("add rule: %d %s", status, body)
	}
	blocked := "/go?u=" + url.QueryEscape("https://diblokir.com/")
	for status, _ := p.get(t, blocked); status != http.StatusForbidden; status, _ = p.get(t, blocked) {
		time.Sleep(10 * time.Millisecond)
	}

	links := mixedLinks()
	links[blocked] = http.StatusForbidden
	stop := driveLoad([]*gatewayProcess{p}, links)
	time.Sleep(300 * time.Millisecond)
	// Redis keeps nothing on disk in tests; SAVE writes what it holds, so
	// that it comes back with the rules as a persistent Redis would.
	rdb := redis.NewClient(&redis.Options{Addr: rs.Addr()})
	if err := rdb.Save(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	rdb.Close()
	rs.Stop()
	p.waitReady(t, 5*time.Second, "reporting the outage", func(body map[string]any) bool {
		r, _ := body["rules"].(map[string]any)
		return r != nil && r["error"] != nil
	})
	if status, body := p.addRule(t, map[string]string{"match": "domain", "value": "baru.com", "action": "block", "reason": "uji", "created_by": "test"}); status != http.StatusServiceUnavailable {
		t.Errorf("add rule while Redis is down: %d %s", status, body)
	}
	time.Sleep(time.Second)
	rs.Restart()
	p.waitReady(t, 10*time.Second, "resynced after Redis returned", rulesSynced)
	load := stop()
	requests := load.requests
	if failed := load.failures(); len(failed) > 0 {
		t.Fatalf("%d errors and %d wrong answers in %d requests, first: %v", len(load.errors), len(load.wrong), requests, failed)
	}

	// A rule added now reaches the replica through the new subscription.
	if status, body := p.addRule(t, map[string]string{"match": "domain", "value": "baru.com", "action": "block", "reason": "uji", "created_by": "test"}); status != http.StatusCreated {
		t.Fatalf("add rule after Redis returned: %d %s", status, body)
	}
	after := "/go?u=" + url.QueryEscape("https://baru.com/")
	deadline := time.Now().Add(time.Second)
	for status, _ := p.get(t, after); status != http.StatusForbidden; status, _ = p.get(t, after) {
		if time.Now().After(deadline) {
			t.Fatal("a rule added after the outage is not enforced within a second")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Every event is counted: accepted and then written or given up, or
	// dropped while the queue was full.
	var ev map[string]float64
	p.waitReady(t, 15*time.Second, "done with the event queue", func(body map[string]any) bool {
		b, _ := json.Marshal(body["events"])
		ev = nil
		return json.Unmarshal(b, &ev) == nil && ev["Written"]+ev["Failed"] == ev["Enqueued"]
	})
	if ev["Enqueued"]+ev["Dropped"] < float64(requests) || ev["Written"] == 0 {
		t.Errorf("events %v for %d requests", ev, requests)
	}
	t.Logf("%d requests under a Redis outage, none wrong; events %v", requests, ev)
}

// With Redis unreachable, an admin call answers its error within the admin
// API's own deadline, not after the write timeout: whether Redis refuses
// connections or takes them and never answers (a dead node behind a live
// address). go-redis's dial errors reach the log at most once an
// interval, not once an attempt.
func TestAdminAnswersQuicklyWithRedisDown(t *testing.T) {
	refused := redistest.Start(t)
	refused.Stop()
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	go func() {
		for {
			conn, err := silent.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { conn.Close() })
		}
	}()
	for name, redisURL := range map[string]string{"refused": refused.URL(), "silent": "redis://" + silent.Addr().String()} {
		t.Run(name, func(t *testing.T) {
			p := startGateway(t, "-redis-url", redisURL, "-token-key", testTokenKey, "-admin-tokens", testAdminTokens, "-log-format", "json")
			for range 3 {
				start := time.Now()
				status, body := p.addRule(t, map[string]string{"match": "domain", "value": "penipu-promo.com", "action": "block", "reason": "uji", "created_by": "test"})
				took := time.Since(start)
				if status != http.StatusServiceUnavailable {
					t.Errorf("add rule with Redis down: %d %s", status, body)
				}
				if took > gateway.AdminStoreTimeout+time.Second {
					t.Errorf("add rule with Redis down answered after %v", took)
				}
			}
			p.cmd.Process.Kill()
			redisLines := 0
			for entry := range p.logs {
				if msg, _ := entry["msg"].(string); strings.HasPrefix(msg, "redis: ") {
					redisLines++
				}
			}
			if redisLines > 2 {
				t.Errorf("%d lines of go-redis's own log in a few seconds; want at most one an interval", redisLines)
			}
		})
	}
}
