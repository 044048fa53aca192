package gateway

import (
	"context"
	"net"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/dismissals"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/gateway/verdict"
)

// Shared is the state the replicas share: kept in Redis, or in memory for
// a single instance. Every part is optional; a missing part turns its
// feature off.
type Shared struct {
	// Rules keeps the emergency rules for the admin API.
	Rules rules.Store
	// RuleSync is this replica's copy of the rules, for metrics and
	// /readyz; Config.Clicks.Rules matches with it.
	RuleSync RuleSyncer
	// Events receives decision, continue and report events; Hasher turns
	// the client's address into the pseudonym they carry.
	Events EventQueue
	Hasher *events.Hasher
	// EventReader reads events back: the latest reports of the statistics.
	EventReader events.Reader
	// Minutes reads the counts of the events by minute and by hour for the
	// admin API's statistics; Recorder writes them, and its figures go to
	// /metrics.
	Minutes  series.Reader
	Recorder MinuteRecorder
	// Ping checks that Redis answers, for safelink_redis_up; nil without
	// Redis.
	Ping func(context.Context) error
	// ReportLimit bounds the reports of each client. APILimit bounds the
	// calls of each rewrite API token, AdminLimit those of each admin
	// token, and AuthFailureLimit the calls of each client that bring no
	// known token, to either API.
	ReportLimit      ratelimit.Limiter
	APILimit         ratelimit.Limiter
	AdminLimit       ratelimit.Limiter
	AuthFailureLimit ratelimit.Limiter
	// ReportedRules warns about a site that enough people report; its
	// zero value never does.
	ReportedRules ReportedRules
	// Dismissals are the domains the team dismissed as false positives:
	// their reports add no reported rule.
	Dismissals dismissals.Store
}

// RuleSyncer reports the state of a replica's copy of the rules.
type RuleSyncer interface {
	State() rules.SyncState
}

// MinuteRecorder reports what the recorder of per-minute counts did.
type MinuteRecorder interface {
	Stats() series.RecorderStats
}

// EventQueue takes events without ever blocking.
type EventQueue interface {
	Enqueue(events.Event) bool
	Stats() events.QueueStats
}

// record queues the event of a decision made at now on the client's
// behalf.
func (g *Gateway) record(c echo.Context, kind events.Kind, v *verdict.Verdict, now time.Time) {
	q := g.cfg.Shared.Events
	if q == nil {
		return
	}
	q.Enqueue(click.Event(kind, v, now, g.pseudonym(c, now))) // a full queue drops the event and counts it
}

// pseudonym is the client's pseudonym in events at now; empty without a
// Hasher.
func (g *Gateway) pseudonym(c echo.Context, now time.Time) string {
	if h := g.cfg.Shared.Hasher; h != nil {
		return h.Hash(c.RealIP(), now)
	}
	return ""
}

// limit applies l to key, one of the keys of name (a client, a token), and
// reports whether the request may go on; when not, it has answered 429
// with Retry-After, and answer has the same wait, in whole seconds.
func (g *Gateway) limit(c echo.Context, name, key string, l ratelimit.Limiter, answer func(retryAfter time.Duration) error) (bool, error) {
	if l == nil {
		return true, nil
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), time.Second)
	defer cancel()
	ok, retryAfter, err := l.Allow(ctx, name+":"+key)
	if err != nil {
		g.metrics.redisErrors.WithLabelValues("ratelimit").Inc()
	}
	if ok {
		return true, nil
	}
	g.metrics.ratelimited.WithLabelValues(name).Inc()
	wait := max((retryAfter + time.Second - 1).Truncate(time.Second), time.Second)
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
	return false, answer(wait)
}

// clientKey reduces an IPv6 client to its /64, the block one subscriber
// usually holds, so that a client cannot escape a limit by changing the
// low bits of its address.
func clientKey(ip string) string {
	parsed := net.ParseIP(ip)
	if parsed == nil || parsed.To4() != nil {
		return ip
	}
	return parsed.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
