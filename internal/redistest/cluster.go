package redistest

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// clusterNodeTimeout is the Cluster's node timeout: how long a master may
// be silent before its replica takes over. Short, so failover tests are
// quick; long enough for a loaded machine not to fail a healthy node.
const clusterNodeTimeout = 1000 * time.Millisecond

// topologyTimeout bounds how long a topology may take to form, or to fail
// over.
const topologyTimeout = 30 * time.Second

// Cluster is a Redis Cluster owned by a test: masters, each with its
// replicas, every node a Server of its own.
type Cluster struct {
	t     Owner
	nodes []*Server
}

// StartCluster runs a Redis Cluster of masters masters with
// replicasPerMaster replicas each, created with redis-cli --cluster create,
// and waits until every node reports cluster_state:ok and every replica is
// attached. It is stopped when t ends.
func StartCluster(t Owner, masters, replicasPerMaster int) *Cluster {
	t.Helper()
	if masters < 3 {
		t.Fatalf("redistest: a Redis Cluster needs 3 masters or more, not %d", masters)
	}
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Fatal(InstallHint)
	}
	c := &Cluster{t: t}
	addrs := make([]string, 0, masters*(1+replicasPerMaster))
	for range masters * (1 + replicasPerMaster) {
		n := newServer(t, "redis-server")
		n.startOnFreePort(func() error {
			busPort, err := freePort()
			n.config = []string{
				"--save", "",
				"--appendonly", "no",
				"--repl-diskless-sync", "yes",
				"--repl-diskless-sync-delay", "0",
				"--cluster-enabled", "yes",
				"--cluster-config-file", "nodes.conf",
				// A bus port of its own: port+10000, the default, may be taken or out of range.
				"--cluster-port", strconv.Itoa(busPort),
				"--cluster-node-timeout", strconv.Itoa(int(clusterNodeTimeout / time.Millisecond)),
				// A replica takes over however long it was cut off.
				"--cluster-replica-validity-factor", "0",
			}
			return err
		})
		c.nodes = append(c.nodes, n)
		addrs = append(addrs, n.Addr())
	}
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", strconv.Itoa(replicasPerMaster), "--cluster-yes")
	var out bytes.Buffer
	create := exec.Command(cli, args...)
	create.Stdout, create.Stderr = &out, &out
	if err := create.Run(); err != nil {
		t.Fatalf("redistest: redis-cli --cluster create: %v\n%s", err, out.Bytes())
	}
	waitFor(c.t, "every node ok and every replica attached", func() bool {
		return c.healthy(masters, masters*replicasPerMaster)
	})
	return c
}

// URL is the Redis URL of the Cluster's seed nodes, every node, as the
// gateway's configuration takes it.
func (c *Cluster) URL() string {
	var addrs []string
	for _, n := range c.running() {
		addrs = append(addrs, n.Addr())
	}
	return "redis://" + strings.Join(addrs, ",")
}

// Masters returns the addresses of the nodes that are masters now.
func (c *Cluster) Masters() []string {
	return c.withRole("master")
}

// Replicas returns the addresses of the nodes that are replicas now.
func (c *Cluster) Replicas() []string {
	return c.withRole("slave")
}

// KillMaster kills the master at addr with SIGKILL and waits until one of
// its replicas has taken over and every other node reports cluster_state:ok.
func (c *Cluster) KillMaster(addr string) {
	c.t.Helper()
	if !slices.Contains(c.Masters(), addr) {
		c.t.Fatalf("redistest: %s is not a master of the cluster", addr)
	}
	masters := len(c.Masters())
	for _, n := range c.nodes {
		if n.Addr() == addr {
			n.Kill()
		}
	}
	waitFor(c.t, "a replica of "+addr+" taking over", func() bool {
		return !slices.Contains(c.Masters(), addr) && len(c.Masters()) == masters && c.allOK()
	})
}

// running returns the nodes not killed or stopped.
func (c *Cluster) running() []*Server {
	var out []*Server
	for _, n := range c.nodes {
		n.mu.Lock()
		if n.cmd != nil {
			out = append(out, n)
		}
		n.mu.Unlock()
	}
	return out
}

// healthy reports whether every running node is ok and the running nodes
// hold masters masters and replicas attached replicas.
func (c *Cluster) healthy(masters, replicas int) bool {
	if !c.allOK() || len(c.Masters()) != masters {
		return false
	}
	attached := 0
	for _, n := range c.running() {
		info, err := n.info("INFO", "replication")
		if err == nil && strings.Contains(info, "master_link_status:up") {
			attached++
		}
	}
	return attached == replicas
}

// allOK reports whether every running node says cluster_state:ok.
func (c *Cluster) allOK() bool {
	for _, n := range c.running() {
		info, err := n.info("CLUSTER", "INFO")
		if err != nil || !strings.Contains(info, "cluster_state:ok") {
			return false
		}
	}
	return true
}

// withRole lists the running nodes whose INFO gives role, sorted.
func (c *Cluster) withRole(role string) []string {
	var out []string
	for _, n := range c.running() {
		info, err := n.info("INFO", "replication")
		if err == nil && strings.Contains(info, "role:"+role+"\r\n") {
			out = append(out, n.Addr())
		}
	}
	slices.Sort(out)
	return out
}

// waitFor polls cond until it holds, failing t after topologyTimeout.
func waitFor(t Owner, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(topologyTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("redistest: not within %v: %s", topologyTimeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// info sends a command answering text, such as INFO, to the server on a
// connection of its own.
func (s *Server) info(args ...any) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c := redis.NewClient(&redis.Options{Addr: s.Addr(), MaxRetries: -1, PoolSize: 1})
	defer c.Close()
	v, err := c.Do(ctx, args...).Text()
	if err != nil {
		return "", fmt.Errorf("%v on %s: %w", args, s.Addr(), err)
	}
	return v, nil
}
