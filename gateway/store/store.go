// Package store connects the gateway to its shared state and names the
// packages that hold it. The state is small and lives in Redis when
// SAFELINK_REDIS_URL is set, in memory otherwise:
//
//   - rules: the security team's emergency rules, their audit log and the
//     in-memory rule cache every replica matches links against;
//   - events: the bounded queue of click and report events and their stats;
//   - ratelimit: per-key rate limits shared by all replicas;
//   - redisstore: the Redis implementations of the three.
//
// # The Redis URL
//
// OpenRedis and ParseRedisURL accept:
//
//	redis://[[user]:password@]host[:port][/db][?param=value&…]
//	rediss://…                                  the same over TLS
//	unix://[[user]:password@]/path/to/redis.sock[?db=N]
//
// Several comma-separated hosts name the seed nodes of a Redis Cluster:
//
//	redis://:secret@node1:6379,node2:6379,node3:6379
//
// The master_name parameter (or its alias sentinel_master) turns the hosts
// into Sentinel addresses, port 26379 by default, and the client follows
// failovers of that master:
//
//	redis://:secret@sentinel1,sentinel2,sentinel3/0?master_name=mymaster
//
// The port defaults to 6379. Special characters in the user name or
// password must be percent-encoded. Parameters:
//
//	db                  database number, instead of the path (not for Cluster)
//	master_name         Sentinel master name; sentinel_master is an alias
//	sentinel_username   user name for the Sentinels, when they need one
//	sentinel_password   password for the Sentinels, when they need one
//	cluster             "true" to use Cluster mode with a single seed host
//	tls_server_name     name to verify the server certificate against (rediss
//	                    only; defaults to the first host)
//	client_name         name shown by CLIENT LIST
//	dial_timeout        Go duration, e.g. 2s
//	read_timeout        Go duration
//	write_timeout       Go duration
//	pool_size           connections per node
//
// Errors name the part of the URL that is wrong but never echo what it
// holds, so a password cannot end up in a log line.
package store

import (
	"github.com/redis/go-redis/v9"
)

// OpenRedis parses rawURL (see the package documentation) and returns a
// client for a single server, a Sentinel-managed master or a Cluster. It
// does not contact Redis: the client connects on first use, so a gateway
// can start while Redis is down.
func OpenRedis(rawURL string) (redis.UniversalClient, error) {
	opts, err := ParseRedisURL(rawURL)
	if err != nil {
		return nil, err
	}
	return redis.NewUniversalClient(opts), nil
}
