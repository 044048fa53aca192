package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/redisstore"
	"github.com/blibli/safelink/internal/redistest"
)

// SIGTERM arrives while /go is under load and a rewrite request is still
// sending its body. Every request the gateway accepted gets its right
// answer, and every decision event lands in the Redis stream. A client may
// see its connection refused or closed once the listeners close, before
// the gateway read its request; that the gateway never handled such a
// request shows in the count: each /go request it handles queues one
// decision event, and Redis holds exactly as many as the answers the
// clients received.
func TestSIGTERMUnderLoadCompletesAcceptedRequests(t *testing.T) {
	rs := redistest.Start(t)
	p := startGateway(t, "-redis-url", rs.URL(), "-token-key", testTokenKey, "-api-tokens", testAPITokens, "-log-format", "json")
	p.waitReady(t, 5*time.Second, "synced with Redis", rulesSynced)

	// A rewrite request whose body is half sent when SIGTERM comes.
	body := `{"text":"Cek promo di bit.ly/promo ya kak"}`
	slow, err := net.Dial("tcp", p.internal)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "POST /api/v1/rewrite HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		p.internal, testAPIToken, len(body), body[:10])

	links := mixedLinks()
	var (
		answered   atomic.Int64
		unanswered atomic.Int64
		mu         sync.Mutex
		wrong      []string
		wg         sync.WaitGroup
	)
	fail := func(s string) {
		mu.Lock()
		wrong = append(wrong, s)
		mu.Unlock()
	}
	client := &http.Client{CheckRedirect: noRedirects.CheckRedirect, Timeout: 10 * time.Second}
	for range 16 {
		wg.Go(func() {
			for {
				for link, want := range links {
					resp, err := client.Get("http://" + p.public + link)
					if err != nil {
						// Refused or cut before any answer: the listener
						// closed, or a connection the gateway had not read
						// from was closed. The event count below proves the
						// gateway never handled such a request.
						unanswered.Add(1)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					answered.Add(1)
					if resp.StatusCode != want {
						fail(fmt.Sprintf("%s: %d, want %d", link, resp.StatusCode, want))
					}
				}
			}
		})
	}
	for answered.Load() < 500 {
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.waitLog(t, "shutting down")
	wg.Wait()

	// The listeners are closed, yet the rewrite request still completes.
	if _, err := io.WriteString(slow, body[10:]); err != nil {
		t.Fatalf("sending the rest of the rewrite body: %v", err)
	}
	_ = slow.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(slow), nil)
	if err != nil {
		t.Fatalf("the in-flight rewrite request got no answer: %v", err)
	}
	rewritten, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(rewritten), `"action":"warn"`) {
		t.Errorf("the in-flight rewrite request: %d %s", resp.StatusCode, rewritten)
	}

	// A clean shutdown logs no warning or error: not Redis, not the queue.
	shutdown := p.logsUntil(t, "gateway stopped")
	for _, entry := range shutdown {
		if entry["level"] != "INFO" {
			t.Errorf("logged during shutdown: %v", entry)
		}
	}
	stopped := shutdown[len(shutdown)-1]
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	if len(wrong) > 0 {
		t.Fatalf("%d accepted requests failed, first: %v", len(wrong), wrong[:min(5, len(wrong))])
	}
	rdb := redis.NewClient(&redis.Options{Addr: rs.Addr()})
	defer rdb.Close()
	store, err := redisstore.NewEvents(rdb, redisstore.EventsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	decisions, err := store.Recent(context.Background(), events.KindDecision, time.Time{}, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	stored := int64(len(decisions))
	if ev, _ := stopped["events"].(map[string]any); ev["Dropped"] != 0.0 || ev["Failed"] != 0.0 || ev["Written"] != ev["Enqueued"] {
		t.Errorf("events dropped or given up at exit: %v", stopped["events"])
	}
	if stored != answered.Load() {
		t.Errorf("%d decision events in Redis for %d answers to /go; queue at exit: %v", stored, answered.Load(), stopped["events"])
	}
	t.Logf("%d answers to /go under SIGTERM, none wrong, %d requests never accepted; %d events in Redis; queue at exit: %v",
		answered.Load(), unanswered.Load(), stored, stopped["events"])
}
