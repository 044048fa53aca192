package gateway

import (
	"context"
	"errors"
	"time"

	"github.com/blibli/safelink/gateway/dismissals"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// addRule stores a new rule and logs it: the one path of the admin API, the
// console and the reported rules. A *rules.FieldError says what is wrong with r.
// A block or warn rule for a whole domain the team had dismissed as a false
// positive replaces the dismissal: it is undone, by the rule's author.
func (g *Gateway) addRule(ctx context.Context, store rules.Store, r rules.Rule) (rules.Rule, error) {
	added, err := store.Add(ctx, r)
	if err != nil {
		return rules.Rule{}, err
	}
	g.log.Info("rule added", "id", added.ID, "match", added.Match, "value", added.Value, "action", added.Action,
		"author", added.Author, "note", added.CreatedBy)
	if added.Match == rules.MatchDomain && (added.Action == verdict.RuleBlock || added.Action == verdict.RuleWarn) {
		g.replaceDismissal(ctx, &added)
	}
	return added, nil
}

// replaceDismissal undoes the dismissal of the domain of the rule r, if
// any. A failure is logged: the rule wins over the dismissal anyway.
func (g *Gateway) replaceDismissal(ctx context.Context, r *rules.Rule) {
	store := g.cfg.Shared.Dismissals
	if store == nil {
		return
	}
	undo, err := dismissals.UndoChange(r.Value, r.Author, "replaced by the "+string(r.Action)+" rule "+r.ID, time.Now())
	if err == nil {
		_, err = g.undoDismissal(ctx, store, undo)
	}
	if err != nil && !errors.Is(err, dismissals.ErrNotFound) {
		g.metrics.redisErrors.WithLabelValues("dismissals").Inc()
		g.log.Warn("dismissal not undone", "site", r.Value, "rule", r.ID, "err", err)
	}
}

// dismiss records a dismissal, removes the domain's reported rules, and
// logs both: the one path of the console. A *dismissals.FieldError says
// what is wrong with d. When the rules cannot be read or removed, the
// dismissal is kept and the error returned: dismissing again, once the
// store answers, removes them (a dismissal of a domain dismissed already
// replaces it).
func (g *Gateway) dismiss(ctx context.Context, store dismissals.Store, d dismissals.Dismissal) error {
	if err := store.Dismiss(ctx, d); err != nil {
		return err
	}
	g.log.Info("reports dismissed", "site", d.Site, "author", d.Author, "why", d.Why)
	ruleStore := g.cfg.Shared.Rules
	if ruleStore == nil {
		return nil
	}
	snap, err := ruleStore.List(ctx)
	if err != nil {
		return err
	}
	for _, r := range snap.Rules {
		if r.Match != rules.MatchDomain || r.Value != d.Site || r.Action != verdict.RuleReported {
			continue
		}
		removal := rules.Removal{Author: d.Author, Note: "dismissed as a false positive", Why: d.Why}
		if _, err := g.removeRule(ctx, ruleStore, r.ID, removal); err != nil && !errors.Is(err, rules.ErrNotFound) {
			return err
		}
	}
	return nil
}

// undoDismissal undoes a dismissal and logs it: the one path of the
// console and of a rule that replaces a dismissal.
func (g *Gateway) undoDismissal(ctx context.Context, store dismissals.Store, undo dismissals.Change) (dismissals.Dismissal, error) {
	undone, err := store.Undo(ctx, undo)
	if err != nil {
		return dismissals.Dismissal{}, err
	}
	g.log.Info("dismissal undone", "site", undo.Site, "author", undo.Author, "why", undo.Why)
	return undone, nil
}

// removeRule removes a rule and logs it: the one path of the admin API
// and the console.
func (g *Gateway) removeRule(ctx context.Context, store rules.Store, id string, removal rules.Removal) (rules.Rule, error) {
	removed, err := store.Remove(ctx, id, removal)
	if err != nil {
		return rules.Rule{}, err
	}
	g.log.Info("rule removed", "id", removed.ID, "author", removal.Author, "note", removal.Note, "why", removal.Why)
	return removed, nil
}
