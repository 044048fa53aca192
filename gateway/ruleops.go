package gateway

import (
	"context"

	"github.com/blibli/safelink/gateway/rules"
)

// addRule stores a new rule and logs it: the one path of the admin API, the
// console and the reported rules. A *rules.FieldError says what is wrong with r.
func (g *Gateway) addRule(ctx context.Context, store rules.Store, r rules.Rule) (rules.Rule, error) {
	added, err := store.Add(ctx, r)
	if err != nil {
		return rules.Rule{}, err
	}
	g.log.Info("rule added", "id", added.ID, "match", added.Match, "value", added.Value, "action", added.Action,
		"author", added.Author, "note", added.CreatedBy)
	return added, nil
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
