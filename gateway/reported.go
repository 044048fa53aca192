package gateway

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/blibli/safelink/gateway/reports"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// ReportsAuthor is the author, in the audit log, of the rules that users'
// reports add on their own.
const ReportsAuthor = "reports"

// ReportedRules says when users' reports warn about a site on their own:
// when Threshold distinct clients (by pseudonym) report one registrable
// domain within the Counter's window, a reported rule is added for it
// through the rule store, as the security team's rules are, so that every
// replica warns within a second. It expires after TTL unless the team
// decides with a rule of its own.
type ReportedRules struct {
	Counter   reports.Counter
	Threshold int           // distinct reporters; 0 turns it off
	Window    time.Duration // the Counter's window, for the audit log
	TTL       time.Duration
}

// reportCountTimeout bounds the counting of one report and the rule it may
// add: the reporter waits for it.
const reportCountTimeout = time.Second

// countReport counts the report of site by reporter at now and adds the
// reported rule when the report makes enough reporters. A report that the
// warning was wrong counts for nothing, and neither does one of an
// official site, of an IP address, or of a site a rule already decides
// about (allow rules included: the team vouched for it). Nor does a report
// of a site the team dismissed as a false positive add the rule: the
// dismissal is read when the report makes enough reporters, and a failed
// read adds nothing.
func (g *Gateway) countReport(ctx context.Context, l *loaded, site, category, reporter string, now time.Time) {
	rr, store := g.cfg.Shared.ReportedRules, g.cfg.Shared.Rules
	if rr.Counter == nil || rr.Threshold <= 0 || store == nil || reporter == "" || category == categoryFalsePositive || !g.mayReport(l, site, now) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, reportCountTimeout)
	defer cancel()
	n, first, err := rr.Counter.Add(ctx, site, reporter, now)
	if err != nil {
		g.metrics.redisErrors.WithLabelValues("reports").Inc()
		g.log.Warn("report not counted", "site", site, "err", err)
		return
	}
	if !first || n < rr.Threshold || g.dismissed(ctx, site) {
		return
	}
	_, err = g.addRule(ctx, store, rules.Rule{
		Match: rules.MatchDomain, Value: site, Action: verdict.RuleReported, Author: ReportsAuthor,
		Reason:    fmt.Sprintf("%d distinct clients reported it within %v", n, rr.Window),
		ExpiresAt: now.Add(rr.TTL),
	})
	if err != nil {
		g.metrics.redisErrors.WithLabelValues("rules").Inc()
		g.log.Warn("reported rule not added", "site", site, "err", err)
		return
	}
	g.metrics.reportedRules.Inc()
}

// mayReport reports whether users' reports may warn about site: a
// registrable domain off Blibli that no rule decides about yet.
func (g *Gateway) mayReport(l *loaded, site string, now time.Time) bool {
	if site == "" {
		return false
	}
	if _, err := netip.ParseAddr(site); err == nil {
		return false
	}
	if official, _ := l.policy.Lists.Official(site); official {
		return false
	}
	if m := g.cfg.Clicks.Rules; m != nil {
		if _, ok := m.Match(site, "https://"+site+"/", now); ok {
			return false
		}
	}
	return true
}

// dismissed reports whether the team dismissed site as a false positive,
// or whether it cannot tell.
func (g *Gateway) dismissed(ctx context.Context, site string) bool {
	store := g.cfg.Shared.Dismissals
	if store == nil {
		return false
	}
	_, ok, err := store.Get(ctx, site)
	if err != nil {
		g.metrics.redisErrors.WithLabelValues("dismissals").Inc()
		g.log.Warn("dismissal not read; no reported rule added", "site", site, "err", err)
		return true
	}
	return ok
}
