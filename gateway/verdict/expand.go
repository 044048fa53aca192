package verdict

import "slices"

// ReasonUnexpanded is given at a person's click on a shortener link whose
// destination could not be found in time: the warning says the destination
// could not be checked.
const ReasonUnexpanded Reason = "unexpanded"

// Expandable reports whether v is a shortener warning whose destination a
// click may look up: a warning with no reason but those of a link to a
// shortener (external, insecure, shortener, unverified) and
// suspicious-message, which the destination's verdict gets again from the
// same message, so that a rule, a threat list or a signature problem about
// the link itself is never traded for the destination's verdict.
func (v *Verdict) Expandable() bool {
	if v.Action != Warn || !v.Has(ReasonShortener) {
		return false
	}
	for _, r := range v.Reasons {
		if !slices.Contains(expandableReasons, r) {
			return false
		}
	}
	return true
}

var expandableReasons = []Reason{ReasonExternal, ReasonInsecure, ReasonShortener, ReasonUnverified, ReasonSuspiciousMessage}

// Through returns d, the verdict on the destination a shortener link leads
// to, with via, the shortener links followed to reach it, the clicked link
// first.
func (d Verdict) Through(via []string) Verdict {
	d.Via = slices.Clone(via)
	return d
}

// Unexpanded returns v with ReasonUnexpanded added.
func (v Verdict) Unexpanded() Verdict {
	v.Reasons = append(slices.Clone(v.Reasons), ReasonUnexpanded)
	return v
}
