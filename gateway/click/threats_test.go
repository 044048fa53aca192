package click

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

// fakeLists answers every lookup the same way, after delay, and counts
// them.
type fakeLists struct {
	threats []verdict.Threat
	err     error
	delay   time.Duration
	cached  bool
	lookups int
}

func (f *fakeLists) Lookup(ctx context.Context, url string) ([]verdict.Threat, error) {
	f.lookups++
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return f.threats, f.err
}

func (f *fakeLists) Cached(url string, now time.Time) ([]verdict.Threat, bool) {
	return f.threats, f.cached && f.err == nil
}

func (f *fakeLists) Status() verdict.ListStatus {
	return verdict.ListStatus{State: verdict.ListsReady}
}

// unconfirmedError is an error that says a listed prefix was not
// confirmed.
type unconfirmedError struct{}

func (unconfirmedError) Error() string     { return "prefix listed, full hash unknown" }
func (unconfirmedError) Unconfirmed() bool { return true }

func TestThreatSourcesTogether(t *testing.T) {
	policy := embeddedPolicy(t)
	malware := []verdict.Threat{verdict.ThreatMalware}
	extended := []verdict.Threat{verdict.ThreatSocialEngineeringExtended}
	const official, external = "https://www.blibli.com/", "https://toko-sepatu.example/"
	tests := []struct {
		name        string
		link        string
		sb, wr      *fakeLists
		action      verdict.Action
		reason      verdict.Reason // a reason the verdict must give, if any
		sources     []verdict.Source
		wantThreats []verdict.Threat
	}{
		{"both clean, official", official, &fakeLists{}, &fakeLists{}, verdict.Redirect, "", nil, nil},
		{"one lists it", external, &fakeLists{}, &fakeLists{threats: malware}, verdict.Block, "", []verdict.Source{verdict.SourceWebRisk}, malware},
		{"one lists an official host", official, &fakeLists{threats: malware}, &fakeLists{}, verdict.Block, "", []verdict.Source{verdict.SourceSafeBrowsing}, malware},
		{"both list it", external, &fakeLists{threats: []verdict.Threat{verdict.ThreatSocialEngineering}}, &fakeLists{threats: malware},
			verdict.Block, "", []verdict.Source{verdict.SourceSafeBrowsing, verdict.SourceWebRisk}, []verdict.Threat{verdict.ThreatMalware, verdict.ThreatSocialEngineering}},
		{"one fails, external", external, &fakeLists{err: errors.New("down")}, &fakeLists{}, verdict.Warn, verdict.ReasonUnverified, nil, nil},
		{"one fails, official", official, &fakeLists{err: errors.New("down")}, &fakeLists{}, verdict.Redirect, "", nil, nil},
		{"one fails, the other lists it", external, &fakeLists{err: errors.New("down")}, &fakeLists{threats: malware}, verdict.Block, "", []verdict.Source{verdict.SourceWebRisk}, malware},
		{"unconfirmed prefix, official", official, &fakeLists{}, &fakeLists{err: unconfirmedError{}}, verdict.Warn, verdict.ReasonUnverified, nil, nil},
		{"suspected only", official, &fakeLists{}, &fakeLists{threats: extended}, verdict.Warn, verdict.ReasonSuspected, []verdict.Source{verdict.SourceWebRisk}, extended},
		{"suspected and blocking", external, &fakeLists{}, &fakeLists{threats: append(slices.Clone(malware), extended...)}, verdict.Block, "", []verdict.Source{verdict.SourceWebRisk}, malware},
		{"both past the budget", external, &fakeLists{delay: time.Second}, &fakeLists{delay: time.Second}, verdict.Warn, verdict.ReasonUnverified, nil, nil},
	}
	for _, tt := range tests {
		s := Service{
			Threats: []ThreatSource{
				{Source: verdict.SourceSafeBrowsing, Lists: tt.sb},
				{Source: verdict.SourceWebRisk, Lists: tt.wr},
			},
			Suspected:     extended,
			ThreatTimeout: 50 * time.Millisecond,
		}
		v := s.Decide(context.Background(), policy, tt.link, Origin{Signature: verdict.Unsigned})
		if v.Action != tt.action || (tt.reason != "" && !v.Has(tt.reason)) ||
			!slices.Equal(v.Sources, tt.sources) || !slices.Equal(v.Threats, tt.wantThreats) {
			t.Errorf("%s: %s %v threats %v sources %v; want %s with %q, threats %v, sources %v",
				tt.name, v.Action, v.Reasons, v.Threats, v.Sources, tt.action, tt.reason, tt.wantThreats, tt.sources)
		}
	}
}

func TestCachedAnswersNeedNoLookup(t *testing.T) {
	sb := &fakeLists{cached: true}
	wr := &fakeLists{cached: true, threats: []verdict.Threat{verdict.ThreatMalware}}
	s := Service{Threats: []ThreatSource{{Source: verdict.SourceSafeBrowsing, Lists: sb}, {Source: verdict.SourceWebRisk, Lists: wr}}}
	var f verdict.Facts
	s.lookupThreats(context.Background(), "https://a.example/", time.Now(), &f)
	if sb.lookups+wr.lookups != 0 || !slices.Equal(f.Threats, wr.threats) {
		t.Errorf("lookups %d, %d; facts %+v", sb.lookups, wr.lookups, f)
	}
}

func TestListStatusOfEachSource(t *testing.T) {
	s := Service{Threats: []ThreatSource{{Source: verdict.SourceWebRisk, Lists: &fakeLists{}}}}
	if st := s.ListStatus(verdict.SourceWebRisk); st.State != verdict.ListsReady {
		t.Errorf("Web Risk: %v", st.State)
	}
	if st := s.ListStatus(verdict.SourceSafeBrowsing); st.State != verdict.ListsOff {
		t.Errorf("Safe Browsing, not configured: %v", st.State)
	}
}
