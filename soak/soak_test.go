package main

import (
	"testing"
	"time"
)

// TestThreeReplicasBehindHaproxy runs the soak briefly as
// `go run ./soak -replicas 3` does: three gateways on a Redis Cluster
// behind haproxy, no failed request or wrong answer while one is stopped
// and started again, every rule on every replica with a p99 within a
// second, no leak and a clean shutdown.
func TestThreeReplicasBehindHaproxy(t *testing.T) {
	err := run(settings{
		duration: 15 * time.Second, warmup: 3 * time.Second, concurrency: 8, replicas: 3,
		limits: thresholds{rssMiB: 32, goroutines: 50, fds: 20, propagationP99: time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
}
