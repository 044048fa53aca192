package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/rules"
)

// RulesOptions tune a Rules store. The zero value is usable.
type RulesOptions struct {
	Prefix string // key prefix; DefaultPrefix when empty
	// AuditRetention is how long the audit stream keeps a change;
	// rules.DefaultAuditRetention when 0.
	AuditRetention time.Duration
	Logger         *slog.Logger // undecodable entries and watch problems; none when nil
}

// Rules is a rules.Store in Redis.
type Rules struct {
	client    redis.UniversalClient
	all       string // hash of rules
	revision  string // change counter
	audit     string // stream of changes
	channel   string // pub/sub channel of changes
	sharded   bool   // announce on sharded pub/sub: the client is a Cluster's
	retention time.Duration
	log       *slog.Logger
}

var _ rules.Store = (*Rules)(nil)

// NewRules returns a rules.Store kept in Redis through client.
func NewRules(client redis.UniversalClient, opts RulesOptions) *Rules {
	p := prefixOr(opts.Prefix)
	if opts.AuditRetention <= 0 {
		opts.AuditRetention = rules.DefaultAuditRetention
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Rules{
		client:    client,
		all:       p + ":{rules}:all",
		revision:  p + ":{rules}:revision",
		audit:     p + ":{rules}:audit",
		channel:   p + ":{rules}:changes",
		sharded:   isCluster(client),
		retention: opts.AuditRetention,
		log:       opts.Logger,
	}
}

// commitScript applies one change atomically. KEYS: all, revision, audit.
// ARGV: rule ID, rule JSON (empty to remove), change JSON, audit retention
// in ms, channel, publishing command (PUBLISH, or SPUBLISH in a Cluster).
// Adding stores the rule; removing deletes it and returns nil when it is
// already gone. The change, with its revision and the whole
// rule, goes to the audit stream, which drops the entries older than the
// retention on Redis's clock (a stream ID is the millisecond it was
// written at), and to the channel.
var commitScript = redis.NewScript(`
local rule = ARGV[2]
if rule == "" then
  rule = redis.call("HGET", KEYS[1], ARGV[1])
  if not rule then return false end
  redis.call("HDEL", KEYS[1], ARGV[1])
else
  redis.call("HSET", KEYS[1], ARGV[1], rule)
end
local change = cjson.decode(ARGV[3])
change["revision"] = redis.call("INCR", KEYS[2])
change["rule"] = cjson.decode(rule)
local msg = cjson.encode(change)
local t = redis.call("TIME")
local oldest = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[4])
redis.call("XADD", KEYS[3], "MINID", string.format("%d", math.max(oldest, 0)), "*", "change", msg)
redis.call(ARGV[6], ARGV[5], msg)
return msg
`)

// commit runs commitScript for c, whose revision it sets, and whose rule
// it takes from the store for a removal. ruleJSON is empty to remove the
// rule id.
func (s *Rules) commit(ctx context.Context, id string, ruleJSON []byte, c rules.Change) (rules.Change, error) {
	changeJSON, err := json.Marshal(c)
	if err != nil {
		return rules.Change{}, err
	}
	msg, err := commitScript.Run(ctx, s.client, []string{s.all, s.revision, s.audit},
		id, ruleJSON, changeJSON, s.retention.Milliseconds(), s.channel, s.publish()).Text()
	if err != nil {
		return rules.Change{}, err
	}
	return decodeChange(msg)
}

// publish names the command that announces a change.
func (s *Rules) publish() string {
	if s.sharded {
		return "SPUBLISH"
	}
	return "PUBLISH"
}

// isCluster reports whether client speaks to a Redis Cluster.
func isCluster(client redis.UniversalClient) bool {
	_, ok := client.(*redis.ClusterClient)
	return ok
}

func decodeChange(msg string) (rules.Change, error) {
	var c rules.Change
	if err := json.Unmarshal([]byte(msg), &c); err != nil {
		return rules.Change{}, fmt.Errorf("undecodable rule change: %w", err)
	}
	return c, nil
}

// List implements rules.Store. A rule that does not decode is logged and
// left out, so one bad entry cannot stop every replica from syncing.
func (s *Rules) List(ctx context.Context) (rules.Snapshot, error) {
	var all *redis.MapStringStringCmd
	var rev *redis.StringCmd
	_, err := s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		all = p.HGetAll(ctx, s.all)
		rev = p.Get(ctx, s.revision)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return rules.Snapshot{}, err
	}
	snap := rules.Snapshot{Rules: make([]rules.Rule, 0, len(all.Val()))}
	if v := rev.Val(); v != "" {
		if snap.Revision, err = strconv.ParseUint(v, 10, 64); err != nil {
			return rules.Snapshot{}, fmt.Errorf("rule revision %q: %w", v, err)
		}
	}
	for id, raw := range all.Val() {
		var r rules.Rule
		if err := json.Unmarshal([]byte(raw), &r); err != nil || r.ID != id {
			s.log.Warn("skipping an undecodable rule", "id", id, "error", err)
			continue
		}
		snap.Rules = append(snap.Rules, r)
	}
	return snap, nil
}

// Add implements rules.Store.
func (s *Rules) Add(ctx context.Context, r rules.Rule) (rules.Rule, error) {
	r, err := rules.Prepare(r, time.Now())
	if err != nil {
		return rules.Rule{}, err
	}
	ruleJSON, err := json.Marshal(r)
	if err != nil {
		return rules.Rule{}, err
	}
	if _, err := s.commit(ctx, r.ID, ruleJSON, rules.AddChange(r)); err != nil {
		return rules.Rule{}, fmt.Errorf("adding rule: %w", err)
	}
	return r, nil
}

// Remove implements rules.Store.
func (s *Rules) Remove(ctx context.Context, id string, removal rules.Removal) (rules.Rule, error) {
	removal, err := removal.Check()
	if err != nil {
		return rules.Rule{}, err
	}
	c, err := s.commit(ctx, id, nil, rules.RemoveChange(rules.Rule{}, removal, time.Now()))
	if errors.Is(err, redis.Nil) {
		return rules.Rule{}, fmt.Errorf("removing rule %q: %w", id, rules.ErrNotFound)
	}
	if err != nil {
		return rules.Rule{}, fmt.Errorf("removing rule: %w", err)
	}
	return c.Rule, nil
}

// RemoveExpired implements rules.Store.
func (s *Rules) RemoveExpired(ctx context.Context, now time.Time) ([]rules.Change, error) {
	snap, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	var changes []rules.Change
	for _, r := range snap.Rules {
		if r.Active(now) {
			continue
		}
		c, err := s.commit(ctx, r.ID, nil, rules.ExpiryChange(r, now))
		switch {
		case errors.Is(err, redis.Nil): // another replica removed it first
		case err != nil:
			return changes, fmt.Errorf("removing expired rule: %w", err)
		default:
			changes = append(changes, c)
		}
	}
	return changes, nil
}

// Audit implements rules.Store.
func (s *Rules) Audit(ctx context.Context, limit int) ([]rules.Change, error) {
	if limit <= 0 {
		return nil, nil
	}
	entries, err := s.client.XRevRangeN(ctx, s.audit, "+", "-", int64(limit)).Result()
	if err != nil {
		return nil, err
	}
	out := make([]rules.Change, 0, len(entries))
	for _, e := range entries {
		msg, _ := e.Values["change"].(string)
		c, err := decodeChange(msg)
		if err != nil {
			return nil, fmt.Errorf("audit entry %s: %w", e.ID, err)
		}
		out = append(out, c)
	}
	return out, nil
}
