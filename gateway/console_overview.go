package gateway

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/gateway/verdict"
)

// overviewPeriod is a period the overview shows: its length and the span
// of its buckets.
type overviewPeriod struct {
	Name   string // hour, day or week: the ?period= value and the text key
	Length time.Duration
	Span   time.Duration
}

// overviewPeriods are the periods of the overview, the first the default.
var overviewPeriods = []overviewPeriod{
	{"hour", time.Hour, time.Minute},
	{"day", 24 * time.Hour, time.Hour},
	{"week", 7 * 24 * time.Hour, time.Hour},
}

// The overview's bounds: domains listed, and how soon a rule's expiry is
// shown.
const (
	overviewTopDomains = 10
	expiringWithin     = 24 * time.Hour
)

// The chart's drawing box, in SVG user units.
const (
	chartWidth  = 600
	chartHeight = 200
)

// overviewView is the data of the overview page.
type overviewView struct {
	Period  overviewPeriod
	Periods []overviewPeriod
	// Counted is false without a store of per-minute counts.
	Counted bool
	Rows    []overviewRow // one a bucket, oldest first
	Lines   []chartLine   // one an action
	Max     int64         // the highest count of a bucket, the top of the chart
	Totals  map[verdict.Action]int64
	Actions []verdict.Action
	Reasons []reasonRate
	// Top are the most warned and the most blocked domains.
	Top     []topDomainList
	Reports int64
	Lists   []listFreshness
	// Expiring are the rules that stop within expiringWithin.
	Expiring []rules.Rule
}

// overviewRow is one bucket's clicks by action.
type overviewRow struct {
	Start  time.Time
	Counts []int64 // in the order of verdict.Actions
}

// chartLine is the polyline of one action's clicks.
type chartLine struct {
	Action verdict.Action
	Points string
}

// reasonRate is how often people went on past a warning for one reason.
type reasonRate struct {
	Reason    string
	Warned    int64
	Continued int64
	Percent   string
}

// topDomainList is the domains one action answered most.
type topDomainList struct {
	Action  verdict.Action
	Domains []domainCount
}

// domainCount is one registrable domain's clicks.
type domainCount struct {
	Site   string
	Clicks int64
}

// listFreshness is the state of one threat source's lists.
type listFreshness struct {
	Source verdict.Source
	State  verdict.ListState
	Age    string
}

func (g *Gateway) handleConsoleOverview(c echo.Context) error {
	v := &overviewView{Period: overviewPeriods[0], Periods: overviewPeriods, Actions: verdict.Actions}
	for _, p := range overviewPeriods {
		if p.Name == c.QueryParam("period") {
			v.Period = p
		}
	}
	now := time.Now()
	ctx, cancel := storeContext(c)
	defer cancel()
	if minutes := g.cfg.Shared.Minutes; minutes != nil {
		first := series.StartOf(now.Add(-v.Period.Length), v.Period.Span).Add(v.Period.Span)
		buckets, err := minutes.Read(ctx, v.Period.Span, first, now)
		if err != nil {
			return g.consoleStoreFailed(c, "stats", err)
		}
		v.Counted = true
		v.summarize(buckets, first, series.StartOf(now, v.Period.Span))
	}
	for _, t := range g.clicks.Threats {
		st := g.clicks.ListStatus(t.Source)
		f := listFreshness{Source: t.Source, State: st.State}
		if !st.Updated.IsZero() {
			f.Age = st.Age.Round(time.Second).String()
		}
		v.Lists = append(v.Lists, f)
	}
	if store := g.cfg.Shared.Rules; store != nil {
		snap, err := store.List(ctx)
		if err != nil {
			return g.consoleStoreFailed(c, "rules", err)
		}
		for _, r := range snap.Rules {
			if !r.ExpiresAt.IsZero() && r.Active(now) && r.ExpiresAt.Before(now.Add(expiringWithin)) {
				v.Expiring = append(v.Expiring, r)
			}
		}
		slices.SortFunc(v.Expiring, func(a, b rules.Rule) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	}
	return g.renderConsole(c, &consolePage{View: "overview", Status: http.StatusOK, Data: v})
}

// summarize fills the view from the buckets of the period whose first and
// last buckets start at first and last.
func (v *overviewView) summarize(buckets []series.Bucket, first, last time.Time) {
	byStart := make(map[time.Time]map[series.Key]int64, len(buckets))
	all := map[series.Key]int64{}
	for _, b := range buckets {
		byStart[b.Start] = b.Counts
		for k, n := range b.Counts {
			all[k] += n
		}
	}
	v.Totals = map[verdict.Action]int64{}
	for start := first; !start.After(last); start = start.Add(v.Period.Span) {
		row := overviewRow{Start: start, Counts: make([]int64, len(verdict.Actions))}
		for i, a := range verdict.Actions {
			n := byStart[start][series.Key{Count: series.Decisions, Action: a}]
			row.Counts[i] = n
			v.Totals[a] += n
			v.Max = max(v.Max, n)
		}
		v.Rows = append(v.Rows, row)
	}
	v.Lines = chartLines(v.Rows, v.Max)
	warned, continued := map[string]int64{}, map[string]int64{}
	sites := map[verdict.Action]map[string]int64{verdict.Warn: {}, verdict.Block: {}}
	for k, n := range all {
		switch k.Count {
		case series.Warned:
			warned[k.Name] += n
		case series.Continued:
			continued[k.Name] += n
		case series.Reports:
			v.Reports += n
		case series.Sites:
			if m := sites[k.Action]; m != nil {
				m[k.Name] += n
			}
		}
	}
	for reason, n := range warned {
		v.Reasons = append(v.Reasons, reasonRate{Reason: reason, Warned: n, Continued: continued[reason],
			Percent: fmt.Sprintf("%.1f%%", 100*float64(continued[reason])/float64(n))})
	}
	slices.SortFunc(v.Reasons, func(a, b reasonRate) int {
		return cmp.Or(cmp.Compare(b.Warned, a.Warned), strings.Compare(a.Reason, b.Reason))
	})
	v.Top = []topDomainList{{verdict.Warn, topDomains(sites[verdict.Warn])}, {verdict.Block, topDomains(sites[verdict.Block])}}
}

// chartLines draws each action's clicks as a polyline over the chart's
// box, the oldest bucket at the left and top the highest count.
func chartLines(rows []overviewRow, top int64) []chartLine {
	lines := make([]chartLine, len(verdict.Actions))
	for i, a := range verdict.Actions {
		var b strings.Builder
		for j, row := range rows {
			x := 0
			if len(rows) > 1 {
				x = j * chartWidth / (len(rows) - 1)
			}
			y := chartHeight
			if top > 0 {
				y = chartHeight - int(row.Counts[i]*chartHeight/top)
			}
			if j > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%d,%d", x, y)
		}
		lines[i] = chartLine{Action: a, Points: b.String()}
	}
	return lines
}

// topDomains lists the domains with the most clicks, at most
// overviewTopDomains.
func topDomains(clicks map[string]int64) []domainCount {
	out := make([]domainCount, 0, len(clicks))
	for site, n := range clicks {
		out = append(out, domainCount{Site: site, Clicks: n})
	}
	slices.SortFunc(out, func(a, b domainCount) int {
		return cmp.Or(cmp.Compare(b.Clicks, a.Clicks), strings.Compare(a.Site, b.Site))
	})
	return out[:min(len(out), overviewTopDomains)]
}
