package click

import (
	"context"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

// ThreatLists is a threat source: lists of dangerous URLs kept up to date,
// which a lookup consults. *threat.SafeBrowsing is one.
type ThreatLists interface {
	// Lookup returns the lists url is on, or an error when it cannot tell
	// within ctx: the caller treats the URL as unverified.
	Lookup(ctx context.Context, url string) ([]verdict.Threat, error)
	// Cached returns the answer when it is at hand at once (a fresh answer
	// remembered from an earlier lookup), so that the click needs no time
	// budget; false sends the link to Lookup. now is the time of the click.
	Cached(url string, now time.Time) ([]verdict.Threat, bool)
	// Status describes the lists: state, age of the last update.
	Status() verdict.ListStatus
}

// LookupResult is the outcome of one threat lookup, as counted in metrics.
type LookupResult string

// The outcomes of a threat lookup.
const (
	LookupClean      LookupResult = "clean"      // on no list
	LookupListed     LookupResult = "listed"     // on at least one list
	LookupUnverified LookupResult = "unverified" // no answer in time
)

// LookupResults lists every LookupResult.
var LookupResults = []LookupResult{LookupClean, LookupListed, LookupUnverified}

// ListStatus describes the threat lists: ListsOff when there are none.
func (s *Service) ListStatus() verdict.ListStatus {
	if s.Threats == nil {
		return verdict.ListStatus{State: verdict.ListsOff}
	}
	return s.Threats.Status()
}

// lookupThreats asks the threat lists about target within the time budget.
// It returns the lists target is on, and whether the answer is unknown.
func (s *Service) lookupThreats(ctx context.Context, target string, now time.Time) (threats []verdict.Threat, unverified bool) {
	if s.Threats == nil {
		return nil, false
	}
	threats, ok := s.Threats.Cached(target, now)
	if !ok {
		timeout := s.ThreatTimeout
		if timeout <= 0 {
			timeout = DefaultThreatTimeout
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
		var err error
		if threats, err = s.Threats.Lookup(ctx, target); err != nil {
			if s.Log != nil {
				s.Log.Debug("threat lookup gave no answer", "err", err)
			}
			s.count(LookupUnverified)
			return nil, true
		}
	}
	if len(threats) > 0 {
		s.count(LookupListed)
	} else {
		s.count(LookupClean)
	}
	return threats, false
}

// count passes the result of a lookup to Looked, if any.
func (s *Service) count(result LookupResult) {
	if s.Looked != nil {
		s.Looked(result)
	}
}
