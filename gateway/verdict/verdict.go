// Package verdict decides what the gateway does with a link: redirect to an
// official https page, warn with reasons, block, or refuse it as invalid.
//
// Decide is a pure function of the link and the Policy. Its one promise,
// which every caller relies on: a Redirect verdict always carries an https
// Target on the default port whose host is official.
//
// The package also holds the words of a decision that the rest of the
// gateway uses: actions, reasons, threats, signal kinds, rule actions,
// threat sources and the states of their lists.
package verdict

import (
	"slices"

	"golang.org/x/net/publicsuffix"

	"github.com/blibli/safelink/gateway/weburl"
)

// Action is what the gateway does with a link.
type Action string

// The actions, from safest for the user to least.
const (
	Invalid  Action = "invalid"  // not a usable web link: a 400 page, never a redirect
	Block    Action = "block"    // known dangerous: a block page without a way through
	Warn     Action = "warn"     // a warning page with the destination and a continue link
	Redirect Action = "redirect" // an official https page: sent there at once
)

// Actions lists every Action, from safest for the user to least.
var Actions = []Action{Invalid, Block, Warn, Redirect}

// Reason explains a warning. The values are stable: templates and the API
// name them.
type Reason string

// The reasons Decide gives.
const (
	ReasonExternal    Reason = "external"    // the host is not official
	ReasonInsecure    Reason = "insecure"    // http, not https
	ReasonLookalike   Reason = "lookalike"   // the domain imitates an official one
	ReasonShortener   Reason = "shortener"   // a URL shortener hides the destination
	ReasonMessaging   Reason = "messaging"   // a chat app used to take deals off the platform
	ReasonCredentials Reason = "credentials" // a user name or password in the URL
	ReasonIPAddress   Reason = "ip-address"  // a literal IP address instead of a name
	ReasonPort        Reason = "port"        // a port other than the scheme's default
	// ReasonAPKDownload: the path ends in an Android app file (.apk and
	// its split forms) on a host that is not official.
	ReasonAPKDownload Reason = "apk-download"
)

// Reasons lists every Reason a verdict can give, in the order given.
var Reasons = []Reason{
	ReasonExternal, ReasonInsecure, ReasonLookalike, ReasonShortener, ReasonMessaging,
	ReasonCredentials, ReasonIPAddress, ReasonPort, ReasonAPKDownload, ReasonSecurityTeam, ReasonSuspected,
	ReasonSuspiciousMessage, ReasonReported, ReasonTampered, ReasonUnsigned, ReasonUnverified, ReasonUnexpanded,
}

// Verdict is the decision on one link.
type Verdict struct {
	Action  Action
	Reasons []Reason       // why a Warn; empty for a Redirect
	Problem weburl.Problem // why Invalid; empty otherwise

	// URL is the normalized destination; nil when Invalid. For a Redirect it
	// is the https URL the user is sent to.
	URL *weburl.URL
	// Target is URL serialized: the Location of a Redirect, the continue
	// link of a Warn. Empty when Invalid.
	Target string
	// Site is the registrable domain of the host (ASCII), or the IP address.
	Site string
	// Imitates is the official domain a lookalike host imitates.
	Imitates string
	// Hops counts the gateway links unwrapped to reach the destination.
	Hops int
	// Via are the shortener links followed at the click to reach Target,
	// the clicked link first; empty when the link was not expanded.
	Via []string

	// Set by Apply from the facts of the click:
	Threats []Threat // the threat lists the target is on (a Block; a Warn for suspected)
	Sources []Source // the threat sources whose lists hold the target
	Rule    *Rule    // the security-team rule that matched
	Signed  bool     // the link carried a valid signature
	// Signals are the scam signals of the message the link was sent in.
	Signals []SignalKind
}

// Has reports whether v gives reason r.
func (v *Verdict) Has(r Reason) bool {
	return slices.Contains(v.Reasons, r)
}

// EventReasons are the words that record why v was decided as it was, in
// events, report forms and the rewrite API: its warning reasons, then
// "threat:" and each threat list of a block, then security-team for a block
// by a rule.
func (v *Verdict) EventReasons() []string {
	out := make([]string, 0, len(v.Reasons)+len(v.Threats)+1)
	for _, r := range v.Reasons {
		out = append(out, string(r))
	}
	for _, t := range v.Threats {
		out = append(out, ThreatPrefix+string(t))
	}
	if v.Action == Block && v.Rule != nil {
		out = append(out, string(ReasonSecurityTeam))
	}
	return out
}

// ThreatPrefix starts the event reason of each threat list a blocked link
// is on, as in "threat:malware".
const ThreatPrefix = "threat:"

// SiteUnicode is Site as people read it (punycode decoded).
func (v *Verdict) SiteUnicode() string {
	return weburl.ToUnicode(v.Site)
}

func (v *Verdict) add(r Reason) {
	v.Reasons = append(v.Reasons, r)
}

func invalid(p weburl.Problem) Verdict {
	return Verdict{Action: Invalid, Problem: p}
}

// site returns the registrable domain of u's host, the host itself when it
// has none (an IP address, a public suffix).
func site(u *weburl.URL) string {
	if u.IP.IsValid() {
		return u.Host
	}
	s, err := publicsuffix.EffectiveTLDPlusOne(u.Host)
	if err != nil {
		return u.Host
	}
	return s
}
