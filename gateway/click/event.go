package click

import (
	"time"

	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/verdict"
)

// Event is the event that a decision v, made at now on behalf of the user
// with pseudonym user (see events.Hasher), leaves: what was decided and
// why, and the signals of the message the link was sent in, never the link
// itself.
func Event(kind events.Kind, v *verdict.Verdict, now time.Time, user string) events.Event {
	return events.Event{
		Kind:     kind,
		Time:     now,
		Action:   v.Action,
		Reasons:  v.EventReasons(),
		Site:     v.Site,
		Signed:   v.Signed,
		UserHash: user,
		Signals:  v.Signals,
	}
}
