package redistest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestClusterFailsOver(t *testing.T) {
	start := time.Now()
	c := StartCluster(t, 3, 1)
	t.Logf("cluster formed in %v", time.Since(start))
	masters, replicas := c.Masters(), c.Replicas()
	if len(masters) != 3 || len(replicas) != 3 {
		t.Fatalf("masters %v, replicas %v; want 3 of each", masters, replicas)
	}
	client := redis.NewClusterClient(&redis.ClusterOptions{Addrs: masters})
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, key := range []string{"a", "b", "c", "d"} {
		if err := client.Set(ctx, key, key, 0).Err(); err != nil {
			t.Fatalf("SET %s: %v", key, err)
		}
	}
	// Replication is asynchronous: a master killed before its replica has
	// the writes takes them along. Wait until each replica has them.
	err := client.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
		acked, err := m.Do(ctx, "WAIT", 1, 5000).Int()
		if err == nil && acked < 1 {
			err = fmt.Errorf("no replica acknowledged the writes of %s", m.Options().Addr)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	start = time.Now()
	c.KillMaster(masters[0])
	t.Logf("failed over in %v", time.Since(start))
	if got := c.Masters(); len(got) != 3 || got[0] == masters[0] {
		t.Fatalf("masters after the failover: %v", got)
	}
	if got := c.Replicas(); len(got) != 2 {
		t.Fatalf("replicas after the failover: %v, want the 2 left", got)
	}
	// A new client, which reads the slots afresh: an old one may wait for
	// its next periodic reload.
	after := redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.Masters()})
	defer after.Close()
	for _, key := range []string{"a", "b", "c", "d"} {
		if v, err := after.Get(ctx, key).Result(); err != nil || v != key {
			t.Errorf("GET %s after the failover: %q, %v", key, v, err)
		}
	}
}
