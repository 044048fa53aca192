package redisstore

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/internal/redistest"
)

// openURL opens url as the gateway does, closed when the test ends.
func openURL(t *testing.T, url string) redis.UniversalClient {
	t.Helper()
	c, err := OpenRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// TestRulesSurviveAClusterFailover kills the master of the rules' slot:
// once a replica has taken over, rules can be added again within seconds,
// not when the client's periodic slot reload comes, and another replica's
// syncer applies them without a periodic resync.
func TestRulesSurviveAClusterFailover(t *testing.T) {
	cluster := redistest.StartCluster(t, 3, 1)
	writer := NewRules(openURL(t, cluster.URL()), RulesOptions{})
	addBlock(t, writer, "before.example.com")
	syncer := runSyncer(t, NewRules(openURL(t, cluster.URL()), RulesOptions{}))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	master, err := writer.client.(*redis.ClusterClient).MasterForKey(ctx, writer.all)
	if err != nil {
		t.Fatal(err)
	}
	// Replication is asynchronous: a crash may lose what its replica has not
	// acknowledged yet.
	if n, err := master.Do(ctx, "WAIT", 1, 5000).Int(); n != 1 || err != nil {
		t.Fatalf("the replica acknowledged %d writes: %v", n, err)
	}
	cluster.KillMaster(master.Options().Addr)
	addAfterFailover(t, writer, "after.example.com")
	waitUntil(t, "the rule added after the failover applied", func() bool { return matches(syncer, "after.example.com") })
	if !matches(syncer, "before.example.com") {
		t.Error("the rule added before the failover is gone")
	}
}

// TestClusterAnnouncesOnShardedPubSub: in a Cluster a change is announced
// with SPUBLISH in the rules' slot, so that only the shard holding the
// rules carries the announcements, not every node of the Cluster.
func TestClusterAnnouncesOnShardedPubSub(t *testing.T) {
	cluster := redistest.StartCluster(t, 3, 1)
	client := openURL(t, cluster.URL())
	ps := client.SSubscribe(testCtx(t), "safelink:{rules}:changes")
	defer ps.Close()
	if _, err := ps.Receive(testCtx(t)); err != nil { // the confirmation
		t.Fatal(err)
	}
	added := addBlock(t, NewRules(client, RulesOptions{}), "sharded.example.com")
	msg, err := ps.ReceiveMessage(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if c, err := decodeChange(msg.Payload); err != nil || c.Rule.ID != added.ID || c.Op != rules.OpAdd {
		t.Errorf("announced %q (%v), want the addition of %s", msg.Payload, err, added.ID)
	}
}

// TestRulesSurviveASentinelFailover is the same with a Sentinel group.
func TestRulesSurviveASentinelFailover(t *testing.T) {
	group := redistest.StartSentinel(t)
	writer := NewRules(openURL(t, group.URL()), RulesOptions{})
	addBlock(t, writer, "before.example.com")
	syncer := runSyncer(t, NewRules(openURL(t, group.URL()), RulesOptions{}))

	if n, err := writer.client.Do(testCtx(t), "WAIT", 1, 5000).Int(); n != 1 || err != nil {
		t.Fatalf("the replica acknowledged %d writes: %v", n, err)
	}
	group.KillMaster()
	addAfterFailover(t, writer, "after.example.com")
	waitUntil(t, "the rule added after the failover applied", func() bool { return matches(syncer, "after.example.com") })
	if !matches(syncer, "before.example.com") {
		t.Error("the rule added before the failover is gone")
	}
}

// addAfterFailover adds a block rule for domain, retrying while the client
// still finds the old master: the topology has failed over already, so it
// must succeed within seconds.
func addAfterFailover(t *testing.T, s *Rules, domain string) {
	t.Helper()
	start := time.Now()
	waitUntil(t, "a rule added after the failover", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := s.Add(ctx, blockRuleFor(domain))
		return err == nil
	})
	t.Logf("writable %v after the failover", time.Since(start))
}
