package verdict

import "slices"

// More reasons, given by Apply from facts gathered at the click.
const (
	ReasonUnverified   Reason = "unverified"    // the threat lists could not be checked in time
	ReasonTampered     Reason = "tampered"      // the link's signature does not match it
	ReasonUnsigned     Reason = "unsigned"      // unsigned where a signature is required
	ReasonSecurityTeam Reason = "security-team" // a warn rule of the security team matches
	ReasonSuspected    Reason = "suspected"     // a threat list that only warns lists the link
	// ReasonSuspiciousMessage: the link was sent in a message with scam
	// signals (Facts.Signals) and leads off Blibli.
	ReasonSuspiciousMessage Reason = "suspicious-message"
	// ReasonReported: enough people reported the site in a short time that
	// a reported rule warns about it until the security team decides.
	ReasonReported Reason = "reported"
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
	// RuleReported warns with the reason reported about a site off Blibli.
	// Only users' reports add it, never a person, and it never blocks.
	RuleReported RuleAction = "reported"
)

// RuleActions lists every RuleAction, strongest first: when several rules
// match a link, the strongest wins. A decision of the security team, allow
// included, beats a rule the reports raised.
var RuleActions = []RuleAction{RuleBlock, RuleWarn, RuleAllow, RuleReported}

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
	// Signals are the scam signals of the message the link was sent in,
	// from the link's c parameter. They only ever add a warning, so a
	// link that forges them gains nothing; a signature covers them, so
	// one that drops them is tampered.
	Signals []SignalKind
	// RequireSignature refuses to redirect unsigned or tampered links.
	RequireSignature bool
	// Threats are the lists the target is on that block it.
	Threats []Threat
	// Suspected are the lists the target is on that only warn: lists that
	// catch more with more false positives, such as Web Risk's extended
	// coverage of social engineering.
	Suspected []Threat
	// ThreatSources are the sources whose lists hold the target.
	ThreatSources []Source
	// ThreatsUnconfirmed is true when a list holds a prefix of the
	// target's hash that could not be confirmed: the target may be
	// dangerous, so even an official link is not redirected.
	ThreatsUnconfirmed bool
	// ThreatsUnverified is true when the lists were consulted but gave no
	// answer in time: not ready, stale, failed or past the time budget.
	ThreatsUnverified bool
}

// Apply returns v updated with the facts, keeping the promise of Decide:
// only an official https target, or one a security-team allow rule lets
// through, is ever redirected to. An Invalid verdict is final.
//
// A block (rule or threat list) beats everything. A warn rule, a list that
// only warns (suspected), scam signals in the message a link leading off
// Blibli was sent in, a bad or missing required signature, and threat
// lists that could not answer each add their reason, as does a reported
// rule on a site off Blibli (never on an official one); an official link
// still redirects when only the lists failed, unless a list holds a prefix
// of its hash that could not be confirmed. Last, an allow rule lifts the
// warnings about who runs an https site (external, lookalike, shortener,
// messaging, IP address), never one about the link itself, so an
// unverified, suspected, suspicious-message, apk-download or, with
// signatures required, unsigned link is never let through.
func (v Verdict) Apply(f Facts) Verdict {
	if v.Action == Invalid {
		return v
	}
	v.Reasons = slices.Clone(v.Reasons)
	v.Signed = f.Signature == SignedValid
	v.Rule = f.Rule
	v.Signals = slices.Clone(f.Signals)
	if f.Rule != nil && f.Rule.Action == RuleBlock {
		v.Action = Block
		return v
	}
	if len(f.Threats) > 0 {
		v.Action, v.Threats, v.Sources = Block, slices.Clone(f.Threats), slices.Clone(f.ThreatSources)
		return v
	}
	if f.Rule != nil && f.Rule.Action == RuleWarn {
		v.Action = Warn
		v.add(ReasonSecurityTeam)
	}
	if f.Rule != nil && f.Rule.Action == RuleReported && v.Has(ReasonExternal) {
		v.add(ReasonReported)
	}
	if len(f.Suspected) > 0 {
		v.Action, v.Threats, v.Sources = Warn, slices.Clone(f.Suspected), slices.Clone(f.ThreatSources)
		v.add(ReasonSuspected)
	}
	if f.ThreatsUnconfirmed {
		v.Action = Warn
	}
	if len(f.Signals) > 0 && v.Has(ReasonExternal) {
		v.add(ReasonSuspiciousMessage)
	}
	switch {
	case f.Signature == Tampered:
		v.Action = Warn
		v.add(ReasonTampered)
	case f.Signature == Unsigned && f.RequireSignature && (v.Action == Redirect || allowed(f.Rule)):
		// Required signatures cover what an allow rule would let through.
		v.Action = Warn
		v.add(ReasonUnsigned)
	}
	if (f.ThreatsUnverified || f.ThreatsUnconfirmed) && v.Action == Warn {
		v.add(ReasonUnverified)
	}
	if allowed(f.Rule) && v.Action == Warn &&
		v.URL.Scheme == "https" && v.URL.User == "" && allLiftable(v.Reasons) {
		v.Action, v.Reasons = Redirect, nil
	}
	return v
}

// allowed reports whether r is an allow rule.
func allowed(r *Rule) bool {
	return r != nil && r.Action == RuleAllow
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
