package verdict

import (
	"context"
	"slices"
)

// Threat is a kind of danger a threat list reports for a URL. The values
// are stable: templates name a block after each.
type Threat string

// The threats the block page explains.
const (
	ThreatSocialEngineering  Threat = "social-engineering" // phishing and other deception
	ThreatMalware            Threat = "malware"
	ThreatUnwantedSoftware   Threat = "unwanted-software"
	ThreatHarmfulApplication Threat = "harmful-application" // potentially harmful apps
)

// Threats lists every Threat.
var Threats = []Threat{ThreatSocialEngineering, ThreatMalware, ThreatUnwantedSoftware, ThreatHarmfulApplication}

// More reasons, given by Apply from facts gathered at the click.
const (
	ReasonUnverified   Reason = "unverified"    // the threat lists could not be checked in time
	ReasonTampered     Reason = "tampered"      // the link's signature does not match it
	ReasonUnsigned     Reason = "unsigned"      // unsigned where a signature is required
	ReasonSecurityTeam Reason = "security-team" // a warn rule of the security team matches
)

// Signature is what the gateway found when it checked a link's signature.
type Signature string

// The signature states.
const (
	Unsigned    Signature = "unsigned"
	SignedValid Signature = "valid"
	Tampered    Signature = "tampered"
)

// RuleAction is what a security-team rule does.
type RuleAction string

// The rule actions.
const (
	RuleBlock RuleAction = "block" // block even an official host
	RuleWarn  RuleAction = "warn"  // warn with the rule's reason
	RuleAllow RuleAction = "allow" // let a non-official https host redirect
)

// Rule is the security-team rule that matches a link.
type Rule struct {
	ID     string
	Action RuleAction
	Reason string // the team's explanation, shown on the page
}

// Facts are what the gateway learns about a link besides the link itself:
// the matching rule, the signature, and the threat-list answer.
type Facts struct {
	// Rule is the security-team rule that matches the target; nil if none.
	Rule *Rule
	// Signature is the state of the link's signature.
	Signature Signature
	// RequireSignature refuses to redirect unsigned or tampered links.
	RequireSignature bool
	// Threats are the lists the target is on.
	Threats []Threat
	// ThreatsUnverified is true when the lists were consulted but gave no
	// answer in time: not ready, stale, failed or past the time budget.
	ThreatsUnverified bool
}

// Apply returns v updated with the facts, keeping the promise of Decide:
// only an official https target, or one a security-team allow rule lets
// through, is ever redirected to. An Invalid verdict is final.
//
// A block (rule or threat list) beats everything. A warn rule, a bad or
// missing required signature, and threat lists that could not answer each
// add their reason; an official link still redirects when only the lists
// failed. Last, an allow rule lifts the warnings about who runs an https
// site (external, lookalike, shortener, messaging, IP address), never one
// about the link itself, so an unverified link is never let through.
func (v Verdict) Apply(f Facts) Verdict {
	if v.Action == Invalid {
		return v
	}
	v.Reasons = slices.Clone(v.Reasons)
	v.Signed = f.Signature == SignedValid
	v.Rule = f.Rule
	if f.Rule != nil && f.Rule.Action == RuleBlock {
		v.Action = Block
		return v
	}
	if len(f.Threats) > 0 {
		v.Action, v.Threats = Block, slices.Clone(f.Threats)
		return v
	}
	if f.Rule != nil && f.Rule.Action == RuleWarn {
		v.Action = Warn
		v.add(ReasonSecurityTeam)
	}
	switch {
	case f.Signature == Tampered:
		v.Action = Warn
		v.add(ReasonTampered)
	case f.Signature == Unsigned && f.RequireSignature && v.Action == Redirect:
		v.Action = Warn
		v.add(ReasonUnsigned)
	}
	if f.ThreatsUnverified && v.Action == Warn {
		v.add(ReasonUnverified)
	}
	if f.Rule != nil && f.Rule.Action == RuleAllow && v.Action == Warn &&
		v.URL.Scheme == "https" && v.URL.User == "" && allLiftable(v.Reasons) {
		v.Action, v.Reasons = Redirect, nil
	}
	return v
}

// liftable are the reasons an allow rule answers: the security team vouches
// for who runs the site.
var liftable = []Reason{ReasonExternal, ReasonLookalike, ReasonShortener, ReasonMessaging, ReasonIPAddress}

func allLiftable(reasons []Reason) bool {
	for _, r := range reasons {
		if !slices.Contains(liftable, r) {
			return false
		}
	}
	return true
}

// ThreatChecker looks a URL up in threat lists. The gateway uses Google
// Safe Browsing; a commercial deployment plugs Google Web Risk in here.
type ThreatChecker interface {
	// Lookup returns the lists url is on, or an error when it cannot tell
	// within ctx: the caller treats the URL as unverified.
	Lookup(ctx context.Context, url string) ([]Threat, error)
}
