package click

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

// ThreatLists is a threat source's lists of dangerous URLs, kept up to
// date, which a lookup consults. *threat.SafeBrowsing and *threat.WebRisk
// are two.
type ThreatLists interface {
	// Lookup returns the lists url is on, or an error when it cannot tell
	// within ctx: the caller treats the URL as unverified. An error with a
	// method Unconfirmed() bool that reports true says a list holds a
	// prefix of the URL's hash that could not be confirmed.
	Lookup(ctx context.Context, url string) ([]verdict.Threat, error)
	// Cached returns the answer when it is at hand at once (a fresh answer
	// remembered from an earlier lookup), so that the click needs no time
	// budget; false sends the link to Lookup. now is the time of the click.
	Cached(url string, now time.Time) ([]verdict.Threat, bool)
	// Status describes the lists: state, age of the last update.
	Status() verdict.ListStatus
}

// ThreatSource is one source of threat lists and its name.
type ThreatSource struct {
	Source verdict.Source
	Lists  ThreatLists
}

// LookupResult is the outcome of one threat lookup, as counted in metrics.
type LookupResult string

// The outcomes of a threat lookup.
const (
	LookupClean      LookupResult = "clean"      // on no list
	LookupListed     LookupResult = "listed"     // on at least one list
	LookupUnverified LookupResult = "unverified" // no answer in time
)

// ListStatus describes the lists of source: ListsOff when it is not one
// of the Service's sources.
func (s *Service) ListStatus(source verdict.Source) verdict.ListStatus {
	for _, t := range s.Threats {
		if t.Source == source {
			return t.Lists.Status()
		}
	}
	return verdict.ListStatus{State: verdict.ListsOff}
}

// answer is what one source said about a link.
type answer struct {
	source      verdict.Source
	threats     []verdict.Threat
	err         error
	unconfirmed bool
}

// lookupThreats asks every source about target, all within one time
// budget, and puts their answers in f: the lists that block it and those
// that only warn, the sources that list it, and whether any source could
// not answer.
func (s *Service) lookupThreats(ctx context.Context, target string, now time.Time, f *verdict.Facts) {
	if len(s.Threats) == 0 {
		return
	}
	answers := make([]answer, len(s.Threats))
	var pending []int
	for i, t := range s.Threats {
		answers[i].source = t.Source
		if threats, ok := t.Lists.Cached(target, now); ok {
			answers[i].threats = threats
		} else {
			pending = append(pending, i)
		}
	}
	if len(pending) > 0 {
		s.ask(ctx, target, answers, pending)
	}
	for _, a := range answers {
		s.record(a, f)
	}
	byVocabulary := func(a, b verdict.Threat) int {
		return slices.Index(verdict.Threats, a) - slices.Index(verdict.Threats, b)
	}
	slices.SortFunc(f.Threats, byVocabulary)
	slices.SortFunc(f.Suspected, byVocabulary)
}

// ask looks target up in the pending sources at once, within the budget.
func (s *Service) ask(ctx context.Context, target string, answers []answer, pending []int) {
	timeout := s.ThreatTimeout
	if timeout <= 0 {
		timeout = DefaultThreatTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if len(pending) == 1 {
		s.askOne(ctx, target, &answers[pending[0]], s.Threats[pending[0]].Lists)
		return
	}
	var wg sync.WaitGroup
	for _, i := range pending {
		wg.Go(func() { s.askOne(ctx, target, &answers[i], s.Threats[i].Lists) })
	}
	wg.Wait()
}

// unconfirmed is what an error says when a listed prefix of the link's
// hash could not be confirmed.
type unconfirmed interface{ Unconfirmed() bool }

func (s *Service) askOne(ctx context.Context, target string, a *answer, lists ThreatLists) {
	a.threats, a.err = lists.Lookup(ctx, target)
	var u unconfirmed
	a.unconfirmed = errors.As(a.err, &u) && u.Unconfirmed()
}

// record puts one source's answer in f and counts it.
func (s *Service) record(a answer, f *verdict.Facts) {
	if a.err != nil {
		if s.Log != nil {
			s.Log.Debug("threat lookup gave no answer", "source", a.source, "err", a.err)
		}
		f.ThreatsUnverified = true
		f.ThreatsUnconfirmed = f.ThreatsUnconfirmed || a.unconfirmed
		s.count(LookupUnverified)
		return
	}
	if len(a.threats) == 0 {
		s.count(LookupClean)
		return
	}
	s.count(LookupListed)
	f.ThreatSources = append(f.ThreatSources, a.source)
	for _, t := range a.threats {
		list := &f.Threats
		if slices.Contains(s.Suspected, t) {
			list = &f.Suspected
		}
		if !slices.Contains(*list, t) {
			*list = append(*list, t)
		}
	}
}

// count passes the result of a lookup to Looked, if any.
func (s *Service) count(result LookupResult) {
	if s.Looked != nil {
		s.Looked(result)
	}
}
