package gateway

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/publicsuffix"

	"github.com/blibli/safelink/gateway/dismissals"
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
	// Dismissed is the team's dismissal of the domain's reports as a
	// false positive, unless a block, warn or allow rule of the team
	// decides instead.
	Dismissed *dismissals.Dismissal
}

// Open reports whether the team has not decided on the group yet: no
// dismissal, and no rule but the reported rule users' reports raised.
func (g *reportGroup) Open() bool {
	return g.Dismissed == nil && (g.Decided == nil || g.Decided.Action == verdict.RuleReported)
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
	// CanDismiss is false without a store of dismissals.
	CanDismiss bool
	// MaxWhy bounds the reason of a dismissal, in characters.
	MaxWhy int
	// Dismissed and Undone are the domain whose reports were just
	// dismissed, or whose dismissal was just undone.
	Dismissed, Undone string
}

func (g *Gateway) handleConsoleReports(c echo.Context) error {
	q := c.QueryParams()
	return g.showReports(c, &consolePage{Status: http.StatusOK}, func(v *reportsView) {
		v.Dismissed, v.Undone = filterText(q.Get("dismissed")), filterText(q.Get("undone"))
	})
}

// showReports renders the reports queue with p's status and problem, if
// any.
func (g *Gateway) showReports(c echo.Context, p *consolePage, more func(*reportsView)) error {
	v := &reportsView{Window: reportsWindow, Triage: []verdict.RuleAction{verdict.RuleBlock, verdict.RuleWarn},
		CanDismiss: g.cfg.Shared.Dismissals != nil, MaxWhy: dismissals.MaxWhyLength}
	if more != nil {
		more(v)
	}
	p.View, p.Data = "reports", v
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
	var dismissed []dismissals.Dismissal
	if store := g.cfg.Shared.Dismissals; store != nil {
		dismissed, err = store.List(ctx)
		if err != nil {
			return g.consoleStoreFailed(c, "dismissals", err)
		}
	}
	v.Groups = groupReports(reports, decided, dismissed, time.Now())
	return g.renderConsole(c, p)
}

// groupReports groups reports, newest first, by registrable domain, with
// the active domain rule of each and its dismissal: undecided domains
// first, then the most reporters, then the latest.
func groupReports(reports []events.Event, decided []rules.Rule, dismissed []dismissals.Dismissal, now time.Time) []reportGroup {
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
	// The active domain rule (the last listed) and the dismissal of each
	// site, read once: a page reads up to reportsRead reports against
	// thousands of rules and dismissals.
	ruleOf := map[string]*rules.Rule{}
	for i := range decided {
		if r := &decided[i]; r.Match == rules.MatchDomain && bySite[r.Value] != nil && r.Active(now) {
			ruleOf[r.Value] = r
		}
	}
	dismissalOf := map[string]*dismissals.Dismissal{}
	for i := range dismissed {
		if d := &dismissed[i]; bySite[d.Site] != nil {
			dismissalOf[d.Site] = d
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
		t.group.Decided = ruleOf[site]
		if t.group.Decided == nil || t.group.Decided.Action == verdict.RuleReported {
			t.group.Dismissed = dismissalOf[site]
		}
		out = append(out, t.group)
	}
	slices.SortStableFunc(out, func(a, b reportGroup) int {
		return cmp.Or(compareOpen(&a, &b), cmp.Compare(b.Reporters, a.Reporters), b.Last.Compare(a.Last))
	})
	return out
}

// compareOpen orders the open group of a and b first.
func compareOpen(a, b *reportGroup) int {
	switch {
	case a.Open() == b.Open():
		return 0
	case a.Open():
		return -1
	}
	return 1
}

// handleConsoleDismiss dismisses a domain's reports as a false positive,
// by the person signed in, with their reason.
func (g *Gateway) handleConsoleDismiss(c echo.Context) error {
	id := c.Get(consoleIdentityKey).(consoleIdentity)
	store := g.cfg.Shared.Dismissals
	if store == nil {
		return g.showReports(c, &consolePage{Status: http.StatusServiceUnavailable, Problem: "problem.nodismissals"}, nil)
	}
	site, err := g.dismissableSite(postedValue(c, "site"))
	if err == nil {
		ctx, cancel := storeContext(c)
		defer cancel()
		err = g.dismiss(ctx, store, dismissals.Dismissal{Site: site, Author: id.Person, Why: postedValue(c, "why"), Time: time.Now()})
	}
	var fieldErr *dismissals.FieldError
	var siteErr *siteError
	switch {
	case errors.As(err, &fieldErr) || errors.As(err, &siteErr) || errors.Is(err, dismissals.ErrFull):
		return g.showReports(c, &consolePage{Status: http.StatusBadRequest, Problem: "problem.dismissal", Detail: err.Error()}, nil)
	case err != nil:
		return g.consoleStoreFailed(c, "dismissals", err)
	}
	return c.Redirect(http.StatusSeeOther, "/console/reports?dismissed="+url.QueryEscape(site))
}

// handleConsoleUndoDismissal undoes a dismissal, by the person signed in.
func (g *Gateway) handleConsoleUndoDismissal(c echo.Context) error {
	id := c.Get(consoleIdentityKey).(consoleIdentity)
	store := g.cfg.Shared.Dismissals
	if store == nil {
		return g.showReports(c, &consolePage{Status: http.StatusServiceUnavailable, Problem: "problem.nodismissals"}, nil)
	}
	undo, err := dismissals.UndoChange(postedValue(c, "site"), id.Person, "", time.Now())
	if err == nil {
		ctx, cancel := storeContext(c)
		defer cancel()
		_, err = g.undoDismissal(ctx, store, undo)
	}
	var fieldErr *dismissals.FieldError
	switch {
	case errors.As(err, &fieldErr) || errors.Is(err, dismissals.ErrNotFound):
		return g.showReports(c, &consolePage{Status: http.StatusBadRequest, Problem: "problem.undo", Detail: err.Error()}, nil)
	case err != nil:
		return g.consoleStoreFailed(c, "dismissals", err)
	}
	return c.Redirect(http.StatusSeeOther, "/console/reports?undone="+url.QueryEscape(undo.Site))
}

// siteError says why a domain's reports cannot be dismissed.
type siteError struct{ msg string }

func (e *siteError) Error() string { return e.msg }

// dismissableSite is the registrable domain s names, normalized, when its
// reports may be dismissed: an official domain never warns on reports, and
// anything but a registrable domain is never a report group.
func (g *Gateway) dismissableSite(s string) (string, error) {
	domain, err := rules.NormalizeDomain(s)
	if err != nil {
		return "", &siteError{err.Error()}
	}
	if site, err := publicsuffix.EffectiveTLDPlusOne(domain); err != nil || site != domain {
		return "", &siteError{fmt.Sprintf("%q is not a registrable domain, such as the domain a report group shows", domain)}
	}
	if official, _ := g.current.Load().policy.Lists.Official(domain); official {
		return "", &siteError{fmt.Sprintf("%q is an official domain: its reports never warn, so there is nothing to dismiss", domain)}
	}
	return domain, nil
}
