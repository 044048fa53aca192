package gateway

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/dismissals"
	"github.com/blibli/safelink/gateway/rules"
)

// auditSearched is how many of the latest changes the audit page searches.
const auditSearched = 1000

// auditOps are the changes the audit page can pick: those of the rules,
// then those of the dismissals.
var auditOps = []string{string(rules.OpAdd), string(rules.OpRemove), string(rules.OpExpire),
	string(dismissals.OpDismiss), string(dismissals.OpUndo)}

// auditEntry is one entry of the audit page: a change of the rules or one
// of the dismissals. Exactly one is set.
type auditEntry struct {
	Rule      *rules.Change
	Dismissal *dismissals.Change
}

// Op is the kind of the change, one of auditOps.
func (e auditEntry) Op() string {
	if e.Rule != nil {
		return string(e.Rule.Op)
	}
	return string(e.Dismissal.Op)
}

// Time is when the change was made.
func (e auditEntry) Time() time.Time {
	if e.Rule != nil {
		return e.Rule.Time
	}
	return e.Dismissal.Time
}

// Author is who made the change.
func (e auditEntry) Author() string {
	if e.Rule != nil {
		return e.Rule.Author
	}
	return e.Dismissal.Author
}

// mergeAudit merges the changes of the rules and of the dismissals, each
// newest first, into at most limit entries, newest first.
func mergeAudit(ruleChanges []rules.Change, dismissalChanges []dismissals.Change, limit int) []auditEntry {
	out := make([]auditEntry, 0, min(limit, len(ruleChanges)+len(dismissalChanges)))
	for len(out) < limit && (len(ruleChanges) > 0 || len(dismissalChanges) > 0) {
		if len(dismissalChanges) == 0 || len(ruleChanges) > 0 && !ruleChanges[0].Time.Before(dismissalChanges[0].Time) {
			out = append(out, auditEntry{Rule: &ruleChanges[0]})
			ruleChanges = ruleChanges[1:]
		} else {
			out = append(out, auditEntry{Dismissal: &dismissalChanges[0]})
			dismissalChanges = dismissalChanges[1:]
		}
	}
	return out
}

// The forms of a time in the audit filter: a date and a time to the
// minute, as a browser's datetime-local writes it, and a date alone.
const (
	auditMinute = "2006-01-02T15:04"
	auditDay    = "2006-01-02"
)

// The years a time of the audit filter may fall in: the log holds none
// before, and a year of five digits has no form to write it back in.
const (
	minAuditYear = 2000
	maxAuditYear = 9000
)

// auditFilter picks changes on the audit page. Its times are UTC.
type auditFilter struct {
	Author string // a part of the author's name; empty: any
	Op     string // one of auditOps; empty: any
	// From and To bound the time of a change; zero: unbounded. To is
	// exclusive: a date alone as "to" takes in the whole day.
	From, To time.Time
}

// parseAuditFilter reads a filter from a query; an unknown op is no
// filter, a time that does not parse or a From not before To an error.
func parseAuditFilter(q url.Values) (auditFilter, error) {
	f := auditFilter{Author: filterText(q.Get("author"))}
	if op := q.Get("op"); slices.Contains(auditOps, op) {
		f.Op = op
	}
	var err error
	if f.From, err = parseAuditTime(q.Get("from"), false); err != nil {
		return f, err
	}
	if f.To, err = parseAuditTime(q.Get("to"), true); err != nil {
		return f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return auditFilter{Author: f.Author, Op: f.Op}, fmt.Errorf("from %s is not before to %s", f.From.Format(auditMinute), f.To.Format(auditMinute))
	}
	return f, nil
}

// parseAuditTime reads a time of the audit filter in UTC; a date alone
// as the end takes in its whole day.
func parseAuditTime(s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(auditMinute, s)
	if err != nil {
		t, err = time.Parse(auditDay, s)
		if err == nil && end {
			t = t.Add(24 * time.Hour)
		}
	}
	if err != nil || t.Year() < minAuditYear || t.Year() > maxAuditYear {
		return time.Time{}, fmt.Errorf("%q is not a time such as 2026-01-31 or 2026-01-31T14:05", filterText(s))
	}
	return t, nil
}

// Matches reports whether the filter picks e.
func (f auditFilter) Matches(e auditEntry) bool {
	at := e.Time()
	return (f.Op == "" || e.Op() == f.Op) &&
		(f.Author == "" || strings.Contains(strings.ToLower(e.Author()), strings.ToLower(f.Author))) &&
		(f.From.IsZero() || !at.Before(f.From)) &&
		(f.To.IsZero() || at.Before(f.To))
}

// auditView is the data of the audit page.
type auditView struct {
	Filter   auditFilter
	From, To string // as the person wrote them
	Ops      []string
	Changes  []auditEntry
	Searched int
}

func (g *Gateway) handleConsoleAudit(c echo.Context) error {
	q := c.QueryParams()
	v := &auditView{From: filterText(q.Get("from")), To: filterText(q.Get("to")), Ops: auditOps, Searched: auditSearched}
	p := &consolePage{View: "audit", Status: http.StatusOK, Data: v}
	f, err := parseAuditFilter(q)
	v.Filter = f
	if err != nil {
		p.Status, p.Problem, p.Detail = http.StatusBadRequest, "problem.filter", err.Error()
		return g.renderConsole(c, p)
	}
	store := g.cfg.Shared.Rules
	if store == nil {
		p.Status, p.Problem = http.StatusServiceUnavailable, "problem.nostore"
		return g.renderConsole(c, p)
	}
	ctx, cancel := storeContext(c)
	defer cancel()
	changes, err := store.Audit(ctx, auditSearched)
	if err != nil {
		return g.consoleStoreFailed(c, "rules", err)
	}
	var dismissed []dismissals.Change
	if d := g.cfg.Shared.Dismissals; d != nil {
		if dismissed, err = d.Log(ctx, auditSearched); err != nil {
			return g.consoleStoreFailed(c, "dismissals", err)
		}
	}
	for _, e := range mergeAudit(changes, dismissed, auditSearched) {
		if f.Matches(e) {
			v.Changes = append(v.Changes, e)
		}
	}
	return g.renderConsole(c, p)
}
