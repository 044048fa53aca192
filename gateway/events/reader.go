package events

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

// Reader reads stored events back.
type Reader interface {
	// Recent returns up to limit events of kind written at or after since,
	// newest first.
	Recent(ctx context.Context, kind Kind, since time.Time, limit int) ([]Event, error)
}

// Defaults of StatsOptions.
const (
	DefaultTopSites      = 10
	DefaultRecentReports = 20
	DefaultMaxEvents     = 100_000
)

// StatsOptions say what ComputeStats covers. The zero value covers every
// stored event with the defaults.
type StatsOptions struct {
	Since         time.Time // events at or after this time
	TopSites      int       // sites listed in TopSites
	RecentReports int       // reports listed in RecentReports
	MaxEvents     int       // events read of each kind at most
}

// Stats summarizes stored events.
type Stats struct {
	Since         time.Time
	Decisions     int          // decision events read
	Continues     int          // continue events read
	Reports       int          // report events read
	TopSites      []SiteCount  // most clicked sites, most first
	Reasons       []ReasonRate // click-through per warning reason, most warned first
	RecentReports []Event      // latest reports, newest first
	// Truncated says a kind had more than MaxEvents events: the figures
	// cover the newest MaxEvents of it.
	Truncated bool
}

// SiteCount is how often links to one registrable domain were clicked.
type SiteCount struct {
	Site   string
	Clicks int
}

// ReasonRate is how often users went on past warnings with one reason.
type ReasonRate struct {
	Reason    string
	Warnings  int     // warn decisions giving the reason
	Continues int     // continue events giving the reason
	Rate      float64 // Continues / Warnings; 0 without warnings
}

// ComputeStats reads events from r and summarizes them: clicks (decisions)
// per site, click-through rate per warning reason, and the latest reports.
func ComputeStats(ctx context.Context, r Reader, opts StatsOptions) (Stats, error) {
	opts.TopSites = cmp.Or(max(opts.TopSites, 0), DefaultTopSites)
	opts.RecentReports = cmp.Or(max(opts.RecentReports, 0), DefaultRecentReports)
	opts.MaxEvents = cmp.Or(max(opts.MaxEvents, 0), DefaultMaxEvents)
	st := Stats{Since: opts.Since}
	read := func(kind Kind) ([]Event, error) {
		evs, err := r.Recent(ctx, kind, opts.Since, opts.MaxEvents+1)
		if err != nil {
			return nil, fmt.Errorf("reading %s events: %w", kind, err)
		}
		if len(evs) > opts.MaxEvents {
			st.Truncated = true
			evs = evs[:opts.MaxEvents]
		}
		return evs, nil
	}
	decisions, err := read(KindDecision)
	if err != nil {
		return Stats{}, err
	}
	continues, err := read(KindContinue)
	if err != nil {
		return Stats{}, err
	}
	reports, err := read(KindReport)
	if err != nil {
		return Stats{}, err
	}
	st.Decisions, st.Continues, st.Reports = len(decisions), len(continues), len(reports)
	st.TopSites = topSites(decisions, opts.TopSites)
	st.Reasons = reasonRates(decisions, continues)
	st.RecentReports = reports[:min(len(reports), opts.RecentReports)]
	return st, nil
}

func topSites(decisions []Event, n int) []SiteCount {
	clicks := map[string]int{}
	for _, e := range decisions {
		if e.Site != "" {
			clicks[e.Site]++
		}
	}
	out := make([]SiteCount, 0, len(clicks))
	for site, c := range clicks {
		out = append(out, SiteCount{Site: site, Clicks: c})
	}
	slices.SortFunc(out, func(a, b SiteCount) int {
		return cmp.Or(cmp.Compare(b.Clicks, a.Clicks), cmp.Compare(a.Site, b.Site))
	})
	return out[:min(len(out), n)]
}

func reasonRates(decisions, continues []Event) []ReasonRate {
	rates := map[string]*ReasonRate{}
	get := func(reason string) *ReasonRate {
		if rates[reason] == nil {
			rates[reason] = &ReasonRate{Reason: reason}
		}
		return rates[reason]
	}
	for _, e := range decisions {
		if e.Action == verdict.Warn {
			for _, r := range e.Reasons {
				get(r).Warnings++
			}
		}
	}
	for _, e := range continues {
		for _, r := range e.Reasons {
			get(r).Continues++
		}
	}
	out := make([]ReasonRate, 0, len(rates))
	for _, r := range rates {
		if r.Warnings > 0 {
			r.Rate = float64(r.Continues) / float64(r.Warnings)
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b ReasonRate) int {
		return cmp.Or(cmp.Compare(b.Warnings, a.Warnings), cmp.Compare(a.Reason, b.Reason))
	})
	return out
}
