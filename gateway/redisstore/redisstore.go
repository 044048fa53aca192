// Package redisstore keeps the gateway's shared state in Redis, so that
// every replica sees the same rules, events, per-minute counts, rate limits,
// report counts and shortener expansions. It implements rules.Store,
// events.Sink and events.Reader, series.Store, ratelimit.Limiter,
// reports.Counter and expand.Cache, on a
// redis.UniversalClient (a single server, Sentinel or Cluster).
//
// # Keys
//
// Every key starts with a prefix, "safelink" by default:
//
//	<prefix>:{rules}:all        hash: rule ID → rule JSON
//	<prefix>:{rules}:revision   counter of rule changes
//	<prefix>:{rules}:audit      stream of changes, field "change" (JSON), trimmed by age (MINID)
//	<prefix>:{rules}:changes    pub/sub channel: each change as JSON, as in the audit stream;
//	                            sharded pub/sub (SPUBLISH) in a Cluster
//	<prefix>:events:<kind>:{N}  stream of one shard N (0 … shards-1) of an event kind, field
//	                            "event" (JSON), MAXLEN ~ cap/shards
//	<prefix>:events:<kind>      the stream of a kind before it had shards, still read
//	<prefix>:stats:{M}:counts   hash of the counts of the minute M (Unix time / 60), field
//	                            series.Key.Field → count, expiring its retention after M
//	<prefix>:stats:{M}:sites    sorted set of the minute's clicks by action and domain,
//	                            at most series.SitesPerMinute members
//	<prefix>:ratelimit:<name>:<key>   GCRA state: theoretical arrival time in µs, with a TTL
//	<prefix>:expand:<sha256 of link>  where a shortener link goes (expand.Expansion JSON), with a TTL
//
// The {rules} hash tag keeps the rule keys in one Cluster slot, so that one
// Lua script changes the hash, bumps the revision, appends to the audit
// stream and publishes the change atomically. The event shards' tags {0},
// {1} … put them in slots of their own, spread over a Cluster's nodes. A
// minute's tag {M} puts its two keys in one slot, so that one script adds
// to both, and spreads the minutes over the nodes.
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
package redisstore

import (
	"cmp"
)

// DefaultPrefix starts every key unless told otherwise.
const DefaultPrefix = "safelink"

func prefixOr(p string) string {
	return cmp.Or(p, DefaultPrefix)
}
