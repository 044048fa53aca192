package gateway

import (
	"context"
	"time"

	"github.com/blibli/safelink/gateway/threat"
	"github.com/blibli/safelink/gateway/verdict"
)

// ThreatLists is a threat checker whose lists /readyz can describe.
type ThreatLists interface {
	verdict.ThreatChecker
	// Cached returns the answer when it is at hand at once (a fresh answer
	// remembered from an earlier lookup), so that the click needs no time
	// budget; false sends the link to Lookup. now is the time of the click.
	Cached(url string, now time.Time) ([]verdict.Threat, bool)
	// ListStatus describes the lists: state, age of the last update.
	ListStatus() ThreatListStatus
}

// ThreatListStatus is the state of the threat lists on /readyz.
type ThreatListStatus struct {
	State      string    `json:"state"` // off, loading, ready or stale
	Updated    time.Time `json:"updated,omitzero"`
	AgeSeconds int64     `json:"age_seconds,omitempty"`
	Lists      int       `json:"lists,omitempty"`
	Problem    string    `json:"problem,omitempty"`
	Restarts   int       `json:"restarts,omitempty"` // clients started again after their lists failed
}

// SafeBrowsingLists adapts a Safe Browsing checker to the gateway.
func SafeBrowsingLists(sb *threat.SafeBrowsing) ThreatLists {
	return safeBrowsingLists{sb}
}

type safeBrowsingLists struct{ sb *threat.SafeBrowsing }

func (s safeBrowsingLists) Lookup(ctx context.Context, url string) ([]verdict.Threat, error) {
	types, err := s.sb.Lookup(ctx, url)
	if err != nil {
		return nil, err
	}
	return threatsOf(types), nil
}

func (s safeBrowsingLists) Cached(url string, now time.Time) ([]verdict.Threat, bool) {
	types, ok := s.sb.Cached(url, now)
	if !ok {
		return nil, false
	}
	return threatsOf(types), true
}

// threatsOf converts the lists' types to the decision's threats; none for
// none.
func threatsOf(types []threat.Type) []verdict.Threat {
	if len(types) == 0 {
		return nil
	}
	threats := make([]verdict.Threat, len(types))
	for i, t := range types {
		threats[i] = verdict.Threat(t)
	}
	return threats
}

func (s safeBrowsingLists) ListStatus() ThreatListStatus {
	st := s.sb.Status()
	return ThreatListStatus{
		State:      string(st.State),
		Updated:    st.Updated,
		AgeSeconds: int64(st.Age / time.Second),
		Lists:      st.Lists,
		Problem:    st.Problem,
		Restarts:   st.Restarts,
	}
}

// threatStatus describes the threat lists for /readyz.
func (g *Gateway) threatStatus() ThreatListStatus {
	if g.checks.Threats == nil {
		return ThreatListStatus{State: "off"}
	}
	return g.checks.Threats.ListStatus()
}
