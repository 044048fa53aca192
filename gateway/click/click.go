// Package click says what a click on a gateway link means, and what a chat
// message sent through the rewrite API means: the facts of a click that the
// link alone does not tell (its signature, the security team's rules, the
// threat lists), the decision made with them, the event a decision leaves,
// and the links of a message with the verdict each would get if tapped now.
//
// It does no HTTP: the gateway's handlers translate between HTTP and a
// Service, and "safelink check" and "safelink rewrite" use the same Service
// without a server.
package click

import (
	"context"
	"log/slog"
	"time"

	"github.com/blibli/safelink/gateway/expand"
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

// Service gathers the facts of a click that the link alone does not tell,
// and decides with them. Its zero value decides with no signatures, rules
// or threat lists. It is safe for concurrent use once set up.
type Service struct {
	// Signatures verifies the signatures of gateway links; nil treats every
	// link as unsigned. RequireSignature refuses to redirect an unsigned or
	// tampered link, even to an official host.
	Signatures       *linksign.Keyring
	RequireSignature bool
	// Rules finds the security team's emergency rules; nil means none.
	Rules RuleMatcher
	// Threats are the threat sources a link is checked against; none turns
	// checking off. A link is blocked when any of them lists it, and
	// verified only when every one answered.
	Threats []ThreatSource
	// Suspected are the threats whose lists only warn (see
	// verdict.Facts.Suspected); the others block.
	Suspected []verdict.Threat
	// ThreatTimeout is the time budget of the lookups of one click, all
	// sources together; zero means DefaultThreatTimeout.
	ThreatTimeout time.Duration
	// Log receives why a lookup gave no answer; nil discards it.
	Log *slog.Logger
	// Looked receives the result of each threat lookup, for metrics; nil
	// counts nothing.
	Looked func(LookupResult)
	// Expander finds where shortener links go, at a person's click (see
	// Expand); nil turns expansion off. Expanded receives each expansion,
	// for metrics; nil counts nothing.
	Expander Expander
	Expanded func(expand.Expansion)
}

// Signature tells whether the signature of a gateway link, which covers
// its link and its message context, is valid.
func (s *Service) Signature(q verdict.GoQuery) verdict.Signature {
	if s.Signatures == nil || q.Signature == "" {
		return verdict.Unsigned
	}
	if s.Signatures.Check(q.Link, q.Context, q.Signature) == linksign.SignedValid {
		return verdict.SignedValid
	}
	return verdict.Tampered
}

// Origin is what a gateway link tells of where it came from: whether the
// gateway signed it, and the scam signals of the message it was sent in.
type Origin struct {
	Signature verdict.Signature
	Signals   []verdict.SignalKind
}

// Query is what the query string of a gateway link decides before the
// facts of a click: the policy's verdict on its link and the link's
// origin. Both are pure functions of the query under one policy and one
// set of signing keys, so a caller may remember them.
type Query struct {
	Verdict verdict.Verdict
	Origin
}

// DecideQuery reads the query string of a gateway link (u= and s=) and
// decides on its link under policy. A query that does not parse gets the
// Invalid verdict naming its problem.
func (s *Service) DecideQuery(policy *verdict.Policy, rawQuery string) Query {
	q, err := verdict.ParseGoQuery(rawQuery)
	if err != nil {
		return Query{Verdict: verdict.Refuse(err)}
	}
	return Query{Verdict: policy.Decide(q.Link), Origin: Origin{Signature: s.Signature(q), Signals: verdict.ParseSignalContext(q.Context)}}
}

// Decide decides on link, of the given origin, under policy with the facts
// of a click made now: the link's origin, the rules, the threat lists.
func (s *Service) Decide(ctx context.Context, policy *verdict.Policy, link string, o Origin) verdict.Verdict {
	return s.Apply(ctx, policy.Decide(link), o, time.Now())
}

// Apply completes the policy's verdict v with the facts of a click made at
// now: the link's origin, the rules, the threat lists. It never changes
// v's slices, which a cache may share.
func (s *Service) Apply(ctx context.Context, v verdict.Verdict, o Origin, now time.Time) verdict.Verdict {
	if v.Action == verdict.Invalid {
		return v
	}
	f := verdict.Facts{Signature: o.Signature, Signals: o.Signals, RequireSignature: s.RequireSignature}
	if s.Rules != nil {
		if r, ok := s.Rules.Match(v.URL.Host, v.Target, now); ok {
			f.Rule = &verdict.Rule{ID: r.ID, Action: r.Action, Reason: r.Reason}
		}
	}
	if f.Rule == nil || f.Rule.Action != verdict.RuleBlock {
		s.lookupThreats(ctx, v.Target, now, &f)
	}
	return v.Apply(f)
}
