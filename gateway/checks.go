package gateway

import (
	"context"
	"log/slog"
	"time"

	"github.com/blibli/safelink/gateway/store/rules"
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
	// Rules finds the security team's emergency rules; nil means none.
	Rules RuleMatcher
	// Threats checks links against threat lists; nil turns checking off.
	Threats ThreatLists
	// ThreatTimeout is the time budget of one lookup.
	ThreatTimeout time.Duration
	// Log receives why a lookup gave no answer; nil discards it.
	Log *slog.Logger
}

// Decide decides on the link of q under policy with the facts of the click.
func (c *Checks) Decide(ctx context.Context, policy *verdict.Policy, q verdict.GoQuery) verdict.Verdict {
	v := policy.Decide(q.Link)
	if v.Action == verdict.Invalid {
		return v
	}
	var f verdict.Facts
	if c.Rules != nil {
		if r, ok := c.Rules.Match(v.URL.Host, v.Target, time.Now()); ok {
			f.Rule = &verdict.Rule{ID: r.ID, Action: verdict.RuleAction(r.Action), Reason: r.Reason}
		}
	}
	if f.Rule == nil || f.Rule.Action != verdict.RuleBlock {
		f.Threats, f.ThreatsUnverified = c.lookupThreats(ctx, v.Target)
	}
	return v.Apply(f)
}

// lookupThreats asks the threat lists about target within the time budget.
// It returns the lists target is on, and whether the answer is unknown.
func (c *Checks) lookupThreats(ctx context.Context, target string) (threats []verdict.Threat, unverified bool) {
	if c.Threats == nil {
		return nil, false
	}
	timeout := c.ThreatTimeout
	if timeout <= 0 {
		timeout = DefaultThreatTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	threats, err := c.Threats.Lookup(ctx, target)
	if err != nil {
		if c.Log != nil {
			c.Log.Debug("threat lookup gave no answer", "err", err)
		}
		return nil, true
	}
	return threats, false
}
