package gateway

import (
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/publicsuffix"

	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
)

// consoleRuleActions are the actions a person may give a rule: reported
// rules come from users' reports only.
var consoleRuleActions = []verdict.RuleAction{verdict.RuleBlock, verdict.RuleWarn, verdict.RuleAllow}

// ruleKinds are the kinds of match, in the order the console offers them.
var ruleKinds = []rules.Kind{rules.MatchDomain, rules.MatchHost, rules.MatchURLPrefix}

// maxFilterText bounds the text of a filter, in characters.
const maxFilterText = 200

// previewWindow is how far back a rule's preview counts clicks.
const previewWindow = 24 * time.Hour

// ruleFilter picks rules on the rules page.
type ruleFilter struct {
	Action verdict.RuleAction // empty: any
	Match  rules.Kind         // empty: any
	Text   string             // in the value, reason, author or ID; empty: any
}

// parseRuleFilter reads a filter from a query; an unknown action or match
// is no filter, and the text is trimmed to maxFilterText characters of
// valid UTF-8.
func parseRuleFilter(q url.Values) ruleFilter {
	f := ruleFilter{Text: filterText(q.Get("q"))}
	if a := verdict.RuleAction(q.Get("action")); slices.Contains(verdict.RuleActions, a) {
		f.Action = a
	}
	if m := rules.Kind(q.Get("match")); slices.Contains(ruleKinds, m) {
		f.Match = m
	}
	return f
}

// filterText is the free text of a filter: valid UTF-8, trimmed, at most
// maxFilterText characters.
func filterText(s string) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, ""))
	if utf8.RuneCountInString(s) > maxFilterText {
		s = string([]rune(s)[:maxFilterText])
	}
	return s
}

// Matches reports whether the filter picks r.
func (f ruleFilter) Matches(r *rules.Rule) bool {
	if f.Action != "" && r.Action != f.Action || f.Match != "" && r.Match != f.Match {
		return false
	}
	if f.Text == "" {
		return true
	}
	text := strings.ToLower(f.Text)
	return slices.ContainsFunc([]string{r.Value, r.Reason, r.Author, r.CreatedBy, r.ID}, func(s string) bool {
		return strings.Contains(strings.ToLower(s), text)
	})
}

// ruleForm is what the add form sent, to fill it again.
type ruleForm struct {
	Match     rules.Kind
	Value     string
	Action    verdict.RuleAction
	Reason    string
	ExpiresIn string
}

// rulesView is the data of the rules page.
type rulesView struct {
	Filter         ruleFilter
	Rules          []rules.Rule
	Stored         int // rules in the store, before the filter
	Form           ruleForm
	Added, Removed string // the ID of the rule just added or removed
	Kinds          []rules.Kind
	Actions        []verdict.RuleAction // of a new rule
	FilterActions  []verdict.RuleAction
	Now            time.Time
}

// previewView is the data of a new rule's preview.
type previewView struct {
	Form ruleForm
	Rule rules.Rule // normalized
	// Site is the registrable domain (or IP address) the rule falls in;
	// Whole says the rule covers all of it, so that Clicks is exact rather
	// than at most.
	Site  string
	Whole bool
	// Clicks are the site's clicks of the last previewWindow by action,
	// from the per-minute counts of the most-clicked domains; Counted is
	// false without a store of them.
	Clicks  []actionClicks
	Total   int64
	Counted bool
	Kept    int // series.SitesKept
}

// actionClicks is the number of clicks one action answered.
type actionClicks struct {
	Action verdict.Action
	Clicks int64
}

func (g *Gateway) handleConsoleRules(c echo.Context) error {
	q := c.QueryParams()
	return g.showRules(c, http.StatusOK, &consolePage{}, ruleForm{Match: rules.MatchDomain, Action: verdict.RuleWarn, ExpiresIn: "24h"},
		func(v *rulesView) { v.Added, v.Removed = q.Get("added"), q.Get("removed") })
}

// showRules renders the rules page with the form filled from form, and
// p's problem if any.
func (g *Gateway) showRules(c echo.Context, status int, p *consolePage, form ruleForm, more func(*rulesView)) error {
	store := g.cfg.Shared.Rules
	if store == nil {
		return g.consoleUnavailable(c, "problem.nostore")
	}
	ctx, cancel := storeContext(c)
	defer cancel()
	snap, err := store.List(ctx)
	if err != nil {
		return g.consoleStoreFailed(c, "rules", err)
	}
	v := &rulesView{Filter: parseRuleFilter(c.QueryParams()), Stored: len(snap.Rules), Form: form, Kinds: ruleKinds,
		Actions: consoleRuleActions, FilterActions: verdict.RuleActions, Now: time.Now()}
	for _, r := range snap.Rules {
		if v.Filter.Matches(&r) {
			v.Rules = append(v.Rules, r)
		}
	}
	slices.SortFunc(v.Rules, func(a, b rules.Rule) int { return b.CreatedAt.Compare(a.CreatedAt) })
	if more != nil {
		more(v)
	}
	p.View, p.Status, p.Data = "rules", status, v
	return g.renderConsole(c, p)
}

// consoleRule reads the add form into a normalized rule by the person
// signed in, with its lifetime.
func consoleRule(c echo.Context, author string) (ruleForm, rules.Rule, time.Duration, error) {
	form := ruleForm{Match: rules.Kind(postedValue(c, "match")), Value: postedValue(c, "value"),
		Action: verdict.RuleAction(postedValue(c, "action")), Reason: postedValue(c, "reason"), ExpiresIn: postedValue(c, "expires_in")}
	if !slices.Contains(consoleRuleActions, form.Action) {
		return form, rules.Rule{}, 0, &rules.FieldError{Field: "action", Msg: "is block, warn or allow; reported rules come from users' reports only"}
	}
	r, err := rules.Rule{Match: form.Match, Value: form.Value, Action: form.Action, Reason: form.Reason, Author: author}.Normalize()
	if err != nil {
		return form, rules.Rule{}, 0, err
	}
	d, err := rules.ParseExpiresIn(form.ExpiresIn)
	return form, r, d, err
}

// formFailed shows the rules page again with what is wrong with the form.
func (g *Gateway) formFailed(c echo.Context, form ruleForm, err error) error {
	var fieldErr *rules.FieldError
	if !errors.As(err, &fieldErr) {
		return g.consoleStoreFailed(c, "rules", err)
	}
	return g.showRules(c, http.StatusBadRequest, &consolePage{Problem: "problem.rule", Detail: fieldErr.Error()}, form, nil)
}

// handlePreviewRule shows what a new rule would have matched before it is
// added.
func (g *Gateway) handlePreviewRule(c echo.Context) error {
	id := c.Get(consoleIdentityKey).(consoleIdentity)
	form, r, _, err := consoleRule(c, id.Person)
	if err != nil {
		return g.formFailed(c, form, err)
	}
	v := &previewView{Form: form, Rule: r, Kept: series.SitesKept}
	v.Site, v.Whole = ruleSite(&r)
	if minutes := g.cfg.Shared.Minutes; minutes != nil && v.Site != "" {
		ctx, cancel := storeContext(c)
		defer cancel()
		now := time.Now()
		read, err := series.Total(ctx, minutes, now.Add(-previewWindow), now)
		if err != nil {
			return g.consoleStoreFailed(c, "stats", err)
		}
		v.Clicks, v.Total = siteClicks(read, v.Site)
		v.Counted = true
	}
	return g.renderConsole(c, &consolePage{View: "preview", Status: http.StatusOK, Data: v})
}

// ruleSite is the registrable domain, or IP address, of the hosts a
// normalized rule matches, and whether it matches all of it.
func ruleSite(r *rules.Rule) (site string, whole bool) {
	host := r.Value
	if r.Match == rules.MatchURLPrefix {
		u, err := weburl.Parse(r.Value)
		if err != nil {
			return "", false
		}
		host = u.Host
	}
	if addr, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return addr.String(), r.Match != rules.MatchURLPrefix
	}
	site, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", false
	}
	return site, r.Match == rules.MatchDomain && site == host
}

// siteClicks adds up the clicks on site in buckets, by action.
func siteClicks(buckets []series.Bucket, site string) ([]actionClicks, int64) {
	byAction := map[verdict.Action]int64{}
	var total int64
	for _, b := range buckets {
		for k, n := range b.Counts {
			if k.Count == series.Sites && k.Name == site {
				byAction[k.Action] += n
				total += n
			}
		}
	}
	var out []actionClicks
	for _, a := range verdict.Actions {
		if n := byAction[a]; n > 0 {
			out = append(out, actionClicks{Action: a, Clicks: n})
		}
	}
	return out, total
}

// handleConsoleAddRule adds the rule a person confirmed after its preview.
func (g *Gateway) handleConsoleAddRule(c echo.Context) error {
	id := c.Get(consoleIdentityKey).(consoleIdentity)
	form, r, d, err := consoleRule(c, id.Person)
	if err != nil {
		return g.formFailed(c, form, err)
	}
	store := g.cfg.Shared.Rules
	if store == nil {
		return g.consoleUnavailable(c, "problem.nostore")
	}
	r.ExpiresAt = rules.ExpiresAfter(time.Now(), d)
	ctx, cancel := storeContext(c)
	defer cancel()
	added, err := g.addRule(ctx, store, r)
	if err != nil {
		return g.formFailed(c, form, err)
	}
	return c.Redirect(http.StatusSeeOther, "/console/rules?added="+url.QueryEscape(added.ID))
}

// handleConsoleRemoveRule removes a rule with the person's reason.
func (g *Gateway) handleConsoleRemoveRule(c echo.Context) error {
	id := c.Get(consoleIdentityKey).(consoleIdentity)
	store := g.cfg.Shared.Rules
	if store == nil {
		return g.consoleUnavailable(c, "problem.nostore")
	}
	removal, err := rules.Removal{Author: id.Person, Why: postedValue(c, "why")}.Check()
	if err != nil {
		return g.showRules(c, http.StatusBadRequest, &consolePage{Problem: "problem.removal", Detail: err.Error()}, ruleForm{}, nil)
	}
	ctx, cancel := storeContext(c)
	defer cancel()
	removed, err := g.removeRule(ctx, store, c.Param("id"), removal)
	switch {
	case errors.Is(err, rules.ErrNotFound):
		return g.showRules(c, http.StatusNotFound, &consolePage{Problem: "problem.notfound"}, ruleForm{}, nil)
	case err != nil:
		return g.consoleStoreFailed(c, "rules", err)
	}
	return c.Redirect(http.StatusSeeOther, "/console/rules?removed="+url.QueryEscape(removed.ID))
}

// consoleStoreFailed answers a failed call to the shared state with a page
// that says so.
func (g *Gateway) consoleStoreFailed(c echo.Context, part string, err error) error {
	g.metrics.redisErrors.WithLabelValues(part).Inc()
	g.log.Error("shared state call failed", "part", part, "err", err)
	return g.consoleUnavailable(c, "problem.store")
}

// consoleUnavailable answers 503 with an empty rules page that says what
// is missing or failing.
func (g *Gateway) consoleUnavailable(c echo.Context, problem string) error {
	return g.renderConsole(c, &consolePage{View: "rules", Status: http.StatusServiceUnavailable, Problem: problem,
		Data: &rulesView{Kinds: ruleKinds, Actions: consoleRuleActions, FilterActions: verdict.RuleActions}})
}
