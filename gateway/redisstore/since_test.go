package redisstore

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/internal/redistest"
)

// fullLoads counts the HGETALLs the server has answered: each is a full
// load of the rules.
func fullLoads(t *testing.T, c redis.UniversalClient) int {
	t.Helper()
	info, err := c.Info(testCtx(t), "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`cmdstat_hgetall:calls=(\d+)`).FindStringSubmatch(info)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestSyncerCatchesUpAfterItsSubscriptionIsCut: a rule added while the
// replica's subscription is cut reaches it from the audit log when it
// resubscribes, without a full load and without the periodic resync.
func TestSyncerCatchesUpAfterItsSubscriptionIsCut(t *testing.T) {
	srv := redistest.Start(t)
	admin := newClient(t, srv)
	writer := NewRules(newClient(t, srv), RulesOptions{})
	syncer := runSyncer(t, NewRules(newClient(t, srv), RulesOptions{}))
	// A change seen through pub/sub means the first resync is over.
	addBlock(t, writer, "probe.example.com")
	waitUntil(t, "the probe applied", func() bool { return matches(syncer, "probe.example.com") })
	loads := fullLoads(t, admin)

	for i := range 3 {
		killed, err := admin.ClientKillByFilter(testCtx(t), "TYPE", "pubsub").Result()
		if err != nil || killed != 1 {
			t.Fatalf("CLIENT KILL TYPE pubsub: %d, %v", killed, err)
		}
		domain := fmt.Sprintf("cut%d.example.com", i)
		addBlock(t, writer, domain) // before the watch's first retry, 100ms later
		waitUntil(t, domain+" applied", func() bool { return matches(syncer, domain) })
	}
	if n := fullLoads(t, admin) - loads; n != 0 {
		t.Errorf("%d full loads to catch up; the audit log tells what was missed", n)
	}
	waitUntil(t, "in sync", func() bool { return syncer.State().LastError == nil })
}

// TestSinceRefusesATrimmedLog: once the audit stream is trimmed past a
// revision, Since says so and a syncer must load in full.
func TestSinceRefusesATrimmedLog(t *testing.T) {
	srv := redistest.Start(t)
	// Each change drops those older than a millisecond.
	s := NewRules(newClient(t, srv), RulesOptions{AuditRetention: time.Millisecond})
	for i := range 3 {
		addBlock(t, s, fmt.Sprintf("site%d.example.com", i))
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := s.Since(testCtx(t), 1); !errors.Is(err, rules.ErrChangesGone) {
		t.Errorf("Since(1) with only the newest change kept: %v, want ErrChangesGone", err)
	}
	missed, err := s.Since(testCtx(t), 2)
	if err != nil || len(missed) != 1 || missed[0].Revision != 3 {
		t.Errorf("Since(2): %+v, %v; want change 3", missed, err)
	}
}
