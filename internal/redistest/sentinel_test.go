package redistest

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestSentinelFailsOver(t *testing.T) {
	start := time.Now()
	s := StartSentinel(t)
	t.Logf("sentinel group formed in %v", time.Since(start))
	old := s.Master()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := redis.NewFailoverClient(&redis.FailoverOptions{MasterName: MasterName, SentinelAddrs: s.sentinelAddrs()})
	defer client.Close()
	if err := client.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}

	start = time.Now()
	s.KillMaster()
	t.Logf("failed over in %v", time.Since(start))
	if s.Master() == old {
		t.Fatalf("the master is still %s", old)
	}
	waitFor(t, "SET on the new master", func() bool { return client.Set(ctx, "k2", "v", 0).Err() == nil })
}
