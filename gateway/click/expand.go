package click

import (
	"context"
	"time"

	"github.com/blibli/safelink/gateway/expand"
	"github.com/blibli/safelink/gateway/verdict"
)

// Expander follows the redirects of a shortener link; *expand.Expander is
// one.
type Expander interface {
	// Expand follows link while its redirects stay on hosts shortener
	// reports true for.
	Expand(ctx context.Context, link string, shortener func(host string) bool) expand.Expansion
}

// Decider decides on a link under a policy: *verdict.Policy is one, and
// so is a memory of its decisions.
type Decider interface {
	Decide(link string) verdict.Verdict
}

// Expand looks up where a shortener link goes, at a person's click, and
// decides on the destination like on any link, with policy, the facts of
// a click made at now and the clicked link's origin (its signature and
// the signals of its message); shortener tells
// the hosts a walk goes on through. v is the verdict on the clicked link;
// one that is not Expandable comes back as it is. The
// destination's verdict comes back with the links followed (Via): a
// redirect when it is official, a warning or block otherwise. When no
// destination is found, or it is not a usable link, v comes back with
// ReasonUnexpanded: never a redirect.
func (s *Service) Expand(ctx context.Context, policy Decider, shortener func(host string) bool, v verdict.Verdict, o Origin, now time.Time) verdict.Verdict {
	if s.Expander == nil || !v.Expandable() {
		return v
	}
	e := s.Expander.Expand(ctx, v.Target, shortener)
	if s.Expanded != nil {
		s.Expanded(e)
	}
	if dest, ok := e.Destination(); ok {
		d := s.Apply(ctx, policy.Decide(dest), o, now)
		if d.Action != verdict.Invalid {
			return d.Through(e.Chain[:len(e.Chain)-1])
		}
	}
	return v.Unexpanded()
}
