package gateway

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// The reports the queue reads: those of the last reportsWindow, the
// latest reportsRead of them.
const (
	reportsWindow = 7 * 24 * time.Hour
	reportsRead   = 1000
)

// reportGroup is the reports of one registrable domain.
type reportGroup struct {
	Site      string
	Reports   int
	Reporters int // distinct pseudonyms
	First     time.Time
	Last      time.Time
	// Categories are the categories reported, the most reported first,
	// with their counts, such as "scam 3".
	Categories []string
	// Saw is the decision the latest reporter saw; Comment the latest
	// comment, if any.
	Saw     verdict.Action
	Comment string
	// Decided is the rule for the domain itself, if any: the team's
	// decision, or a reported rule waiting for one.
	Decided *rules.Rule
}

// reportsView is the data of the reports page.
type reportsView struct {
	Groups []reportGroup
	Read   int // reports read
	Window time.Duration
	// Available is false without a reader of events.
	Available bool
	// Triage are the rules a group can be turned into, through the
	// preview of the rules page.
	Triage []verdict.RuleAction
}

func (g *Gateway) handleConsoleReports(c echo.Context) error {
	v := &reportsView{Window: reportsWindow, Triage: []verdict.RuleAction{verdict.RuleBlock, verdict.RuleWarn}}
	p := &consolePage{View: "reports", Status: http.StatusOK, Data: v}
	reader := g.cfg.Shared.EventReader
	if reader == nil {
		return g.renderConsole(c, p)
	}
	v.Available = true
	ctx, cancel := storeContext(c)
	defer cancel()
	reports, err := reader.Recent(ctx, events.KindReport, time.Now().Add(-reportsWindow), reportsRead)
	if err != nil {
		return g.consoleStoreFailed(c, "events", err)
	}
	v.Read = len(reports)
	var decided []rules.Rule
	if store := g.cfg.Shared.Rules; store != nil {
		snap, err := store.List(ctx)
		if err != nil {
			return g.consoleStoreFailed(c, "rules", err)
		}
		decided = snap.Rules
	}
	v.Groups = groupReports(reports, decided, time.Now())
	return g.renderConsole(c, p)
}

// groupReports groups reports, newest first, by registrable domain, with
// the active domain rule of each: undecided domains first, then the most
// reporters, then the latest.
func groupReports(reports []events.Event, decided []rules.Rule, now time.Time) []reportGroup {
	type tally struct {
		group      reportGroup
		reporters  map[string]bool
		categories map[string]int
	}
	bySite := map[string]*tally{}
	var order []string
	for _, e := range reports {
		if e.Site == "" {
			continue
		}
		t := bySite[e.Site]
		if t == nil {
			t = &tally{group: reportGroup{Site: e.Site, Last: e.Time, Saw: e.Action}, reporters: map[string]bool{}, categories: map[string]int{}}
			bySite[e.Site] = t
			order = append(order, e.Site)
		}
		t.group.Reports++
		t.group.First = e.Time
		t.reporters[e.UserHash] = true
		t.categories[e.Category]++
		if t.group.Comment == "" {
			t.group.Comment = e.Comment
		}
	}
	out := make([]reportGroup, 0, len(order))
	for _, site := range order {
		t := bySite[site]
		t.group.Reporters = len(t.reporters)
		categories := make([]string, 0, len(t.categories))
		for c := range t.categories {
			categories = append(categories, c)
		}
		slices.SortFunc(categories, func(a, b string) int { return cmp.Or(t.categories[b]-t.categories[a], strings.Compare(a, b)) })
		for i, c := range categories {
			categories[i] = c + " " + strconv.Itoa(t.categories[c])
		}
		t.group.Categories = categories
		for i := range decided {
			r := &decided[i]
			if r.Match == rules.MatchDomain && r.Value == site && r.Active(now) {
				t.group.Decided = r
			}
		}
		out = append(out, t.group)
	}
	slices.SortStableFunc(out, func(a, b reportGroup) int {
		return cmp.Or(cmp.Compare(undecided(b), undecided(a)), cmp.Compare(b.Reporters, a.Reporters), b.Last.Compare(a.Last))
	})
	return out
}

// undecided is 1 for a group the team has not decided on: no rule, or
// only the reported rule users' reports raised.
func undecided(g reportGroup) int {
	if g.Decided == nil || g.Decided.Action == verdict.RuleReported {
		return 1
	}
	return 0
}
