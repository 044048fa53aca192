package series

import (
	"cmp"
	"slices"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

// Summary is what the buckets of a period add up to: the answer of
// `safelink stats` and of the admin API's statistics.
type Summary struct {
	Since     time.Time
	Decisions int64                    // decisions of /go
	Actions   map[verdict.Action]int64 // decisions by action
	Continues int64                    // click-throughs past a warning
	Reports   int64                    // links reported
	TopSites  []SiteCount              // most clicked domains, most first
	// OtherClicks are the decisions whose domain a bucket did not keep by
	// name (see SitesKept), or that had no domain (invalid links).
	OtherClicks int64
	Reasons     []ReasonRate // click-through per warning reason, most warned first
}

// SiteCount is how often links to one registrable domain were clicked, and
// how many of those clicks were warned or blocked.
type SiteCount struct {
	Site    string
	Clicks  int64
	Warned  int64
	Blocked int64
}

// ReasonRate is how often users went on past warnings with one reason.
type ReasonRate struct {
	Reason    string
	Warnings  int64   // warn decisions giving the reason
	Continues int64   // click-throughs giving the reason
	Rate      float64 // Continues / Warnings; 0 without warnings
}

// Summarize adds up buckets read since since (see Total), listing the top
// sites.
func Summarize(buckets []Bucket, since time.Time, top int) Summary {
	s := Summary{Since: since, Actions: map[verdict.Action]int64{}}
	sites := map[string]*SiteCount{}
	reasons := map[string]*ReasonRate{}
	reason := func(name string) *ReasonRate {
		if reasons[name] == nil {
			reasons[name] = &ReasonRate{Reason: name}
		}
		return reasons[name]
	}
	var named int64
	for _, m := range buckets {
		for k, n := range m.Counts {
			switch k.Count {
			case Decisions:
				s.Actions[k.Action] += n
				s.Decisions += n
			case Continues:
				s.Continues += n
			case Reports:
				s.Reports += n
			case Warned:
				reason(k.Name).Warnings += n
			case Continued:
				reason(k.Name).Continues += n
			case Sites:
				site := sites[k.Name]
				if site == nil {
					site = &SiteCount{Site: k.Name}
					sites[k.Name] = site
				}
				site.Clicks += n
				named += n
				switch k.Action {
				case verdict.Warn:
					site.Warned += n
				case verdict.Block:
					site.Blocked += n
				}
			}
		}
	}
	s.OtherClicks = s.Decisions - named
	s.TopSites = make([]SiteCount, 0, len(sites))
	for _, site := range sites {
		s.TopSites = append(s.TopSites, *site)
	}
	slices.SortFunc(s.TopSites, func(a, b SiteCount) int {
		return cmp.Or(cmp.Compare(b.Clicks, a.Clicks), cmp.Compare(a.Site, b.Site))
	})
	s.TopSites = s.TopSites[:min(len(s.TopSites), max(top, 0))]
	s.Reasons = make([]ReasonRate, 0, len(reasons))
	for _, r := range reasons {
		if r.Warnings > 0 {
			r.Rate = float64(r.Continues) / float64(r.Warnings)
		}
		s.Reasons = append(s.Reasons, *r)
	}
	slices.SortFunc(s.Reasons, func(a, b ReasonRate) int {
		return cmp.Or(cmp.Compare(b.Warnings, a.Warnings), cmp.Compare(a.Reason, b.Reason))
	})
	return s
}
