package redistest

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// MasterName is the name under which a Sentinel group monitors its master.
const MasterName = "safelink"

// Sentinel timing: short, so that failover tests are quick, long enough
// for a loaded machine not to fail a healthy master.
const (
	sentinelDownAfter       = 1000 * time.Millisecond
	sentinelFailoverTimeout = 3000 * time.Millisecond
)

// Sentinel is a Sentinel group owned by a test: a master, a replica and
// three sentinels agreeing with a quorum of two.
type Sentinel struct {
	t         Owner
	servers   []*Server // the master and the replica, whichever is which now
	sentinels []*Server
}

// StartSentinel runs a master, its replica and three sentinels, and waits
// until the replica is attached and every sentinel knows the replica and
// the other sentinels, so that a failover can happen. Everything is stopped
// when t ends.
func StartSentinel(t Owner) *Sentinel {
	t.Helper()
	master := Start(t)
	replica := Start(t, "--replicaof", "127.0.0.1", portOf(master))
	s := &Sentinel{t: t, servers: []*Server{master, replica}}
	for range 3 {
		sn := newServer(t, "redis-sentinel")
		sn.confFile = filepath.Join(sn.dir, "sentinel.conf")
		sn.startOnFreePort(func() error {
			// Sentinel rewrites its file with what it learns, so each try starts afresh.
			conf := fmt.Sprintf("sentinel monitor %[1]s 127.0.0.1 %[2]s 2\n"+
				"sentinel down-after-milliseconds %[1]s %[3]d\n"+
				"sentinel failover-timeout %[1]s %[4]d\n"+
				"sentinel parallel-syncs %[1]s 1\n",
				MasterName, portOf(master), sentinelDownAfter.Milliseconds(), sentinelFailoverTimeout.Milliseconds())
			return os.WriteFile(sn.confFile, []byte(conf), 0o600)
		})
		s.sentinels = append(s.sentinels, sn)
	}
	waitFor(t, "the replica attached and the sentinels knowing each other", func() bool {
		info, err := replica.info("INFO", "replication")
		if err != nil || !strings.Contains(info, "master_link_status:up") {
			return false
		}
		for _, sn := range s.sentinels {
			info, err := sn.info("INFO", "sentinel")
			if err != nil || !strings.Contains(info, "status=ok,address="+master.Addr()+",slaves=1,sentinels=3") {
				return false
			}
		}
		return true
	})
	return s
}

// URL is the Redis URL of the group as the gateway's configuration takes
// it: the sentinels' addresses and the master's name.
func (s *Sentinel) URL() string {
	return "redis://" + strings.Join(s.sentinelAddrs(), ",") + "?master_name=" + MasterName
}

// sentinelAddrs lists the sentinels' addresses.
func (s *Sentinel) sentinelAddrs() []string {
	addrs := make([]string, len(s.sentinels))
	for i, sn := range s.sentinels {
		addrs[i] = sn.Addr()
	}
	return addrs
}

// Master returns the address of the master, as the sentinels name it.
func (s *Sentinel) Master() string {
	s.t.Helper()
	addr, err := s.masterOf(s.sentinels[0])
	if err != nil {
		s.t.Fatalf("redistest: %v", err)
	}
	return addr
}

// KillMaster kills the master with SIGKILL and waits until every sentinel
// names the replica as the master and the replica says it is one.
func (s *Sentinel) KillMaster() {
	s.t.Helper()
	old := s.Master()
	var promoted *Server
	for _, srv := range s.servers {
		if srv.Addr() == old {
			srv.Kill()
		} else {
			promoted = srv
		}
	}
	waitFor(s.t, "the sentinels promoting "+promoted.Addr(), func() bool {
		for _, sn := range s.sentinels {
			if addr, err := s.masterOf(sn); err != nil || addr != promoted.Addr() {
				return false
			}
		}
		info, err := promoted.info("INFO", "replication")
		return err == nil && strings.Contains(info, "role:master\r\n")
	})
}

// masterOf asks the sentinel sn for the master's address.
func (s *Sentinel) masterOf(sn *Server) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c := redis.NewSentinelClient(&redis.Options{Addr: sn.Addr(), MaxRetries: -1, PoolSize: 1})
	defer c.Close()
	hp, err := c.GetMasterAddrByName(ctx, MasterName).Result()
	if err != nil {
		return "", fmt.Errorf("sentinel %s: %w", sn.Addr(), err)
	}
	return net.JoinHostPort(hp[0], hp[1]), nil
}

// portOf is the port of srv, as redis-server's arguments take it.
func portOf(srv *Server) string {
	_, port, _ := net.SplitHostPort(srv.Addr())
	return port
}
