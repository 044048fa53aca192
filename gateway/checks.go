package gateway

import (
	"context"
	"log/slog"
	"time"

	"github.com/blibli/safelink/gateway/linksign"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// DefaultThreatTimeout is the time budget of a threat lookup when none is
// set.
const DefaultThreatTimeout = 300 * time.Millisecond

// RuleMatcher finds the security-team rule that applies to a link; the
// rule cache of every replica is one.
type RuleMatcher interface {
	Match(host, url string, now time.Time) (rules.Rule, bool)
}

// Checks gathers the facts of a click that the link alone does not tell,
// and decides with them. The /go handler and "safelink check" share it.
type Checks struct {
	// Signatures verifies the signatures of gateway links; nil treats every
	// link as unsigned. RequireSignature refuses to redirect an unsigned or
	// tampered link, even to an official host.
	Signatures       *linksign.Keyring
	RequireSignature bool
	// Rules finds the security team's emergency rules; nil means none.
	Rules RuleMatcher
	// Threats checks links against threat lists; nil turns checking off.
	Threats ThreatLists
	// ThreatTimeout is the time budget of one lookup.
	ThreatTimeout time.Duration
	// Log receives why a lookup gave no answer; nil discards it.
	Log *slog.Logger

	// counted receives the result of each lookup: "clean", "listed" or
	// "unverified". The gateway counts them in its metrics.
	counted func(result string)
}

// Signature tells whether the signature of a gateway link is valid.
func (c *Checks) Signature(q verdict.GoQuery) verdict.Signature {
	if c.Signatures == nil || q.Signature == "" {
		return verdict.Unsigned
	}
	if c.Signatures.Check(q.Link, q.Signature) == linksign.SignedValid {
		return verdict.SignedValid
	}
	return verdict.Tampered
}

// Decide decides on link under policy with the facts of the click: the
// link's signature, the rules, the threat lists.
func (c *Checks) Decide(ctx context.Context, policy Decider, link string, sig verdict.Signature) verdict.Verdict {
	return c.Apply(ctx, policy.Decide(link), sig, time.Now())
}

// Apply completes the policy's verdict v with the facts of a click made at
// now: the link's signature, the rules, the threat lists. It never changes
// v's slices, which a cache may share.
func (c *Checks) Apply(ctx context.Context, v verdict.Verdict, sig verdict.Signature, now time.Time) verdict.Verdict {
	if v.Action == verdict.Invalid {
		return v
	}
	f := verdict.Facts{Signature: sig, RequireSignature: c.RequireSignature}
	if c.Rules != nil {
		if r, ok := c.Rules.Match(v.URL.Host, v.Target, now); ok {
			f.Rule = &verdict.Rule{ID: r.ID, Action: verdict.RuleAction(r.Action), Reason: r.Reason}
		}
	}
	if f.Rule == nil || f.Rule.Action != verdict.RuleBlock {
		f.Threats, f.ThreatsUnverified = c.lookupThreats(ctx, v.Target, now)
	}
	return v.Apply(f)
}

// lookupThreats asks the threat lists about target within the time budget.
// It returns the lists target is on, and whether the answer is unknown.
func (c *Checks) lookupThreats(ctx context.Context, target string, now time.Time) (threats []verdict.Threat, unverified bool) {
	if c.Threats == nil {
		return nil, false
	}
	threats, ok := c.Threats.Cached(target, now)
	if !ok {
		timeout := c.ThreatTimeout
		if timeout <= 0 {
			timeout = DefaultThreatTimeout
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
		var err error
		if threats, err = c.Threats.Lookup(ctx, target); err != nil {
			if c.Log != nil {
				c.Log.Debug("threat lookup gave no answer", "err", err)
			}
			c.count("unverified")
			return nil, true
		}
	}
	if len(threats) > 0 {
		c.count("listed")
	} else {
		c.count("clean")
	}
	return threats, false
}

// count passes the result of a lookup to the metrics, if any.
func (c *Checks) count(result string) {
	if c.counted != nil {
		c.counted(result)
	}
}
