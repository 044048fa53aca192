// Package redisstore keeps the gateway's shared state in Redis, so that
// every replica sees the same rules, events and rate limits. It implements
// rules.Store, events.Sink and events.Reader, and ratelimit.Limiter, on a
// redis.UniversalClient (a single server, Sentinel or Cluster).
//
// # Keys
//
// Every key starts with a prefix, "safelink" by default:
//
//	<prefix>:{rules}:all        hash: rule ID → rule JSON
//	<prefix>:{rules}:revision   counter of rule changes
//	<prefix>:{rules}:audit      stream of changes, field "change" (JSON), MAXLEN ~ audit limit
//	<prefix>:rules:changes      pub/sub channel: each change as JSON, as in the audit stream
//	<prefix>:events:<kind>      stream per event kind, field "event" (JSON), MAXLEN ~ cap
//	<prefix>:ratelimit:<name>:<key>   GCRA state: theoretical arrival time in µs, with a TTL
//
// The {rules} hash tag keeps the rule keys in one Cluster slot, so that one
// Lua script changes the hash, bumps the revision, appends to the audit
// stream and publishes the change atomically.
package redisstore

import (
	"cmp"
)

// DefaultPrefix starts every key unless told otherwise.
const DefaultPrefix = "safelink"

func prefixOr(p string) string {
	return cmp.Or(p, DefaultPrefix)
}
