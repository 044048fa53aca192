package gateway

import (
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/pages"
	"github.com/blibli/safelink/gateway/verdict"
)

// ReadHints reads the hint of every signal kind from the templates: the
// plain-text blocks hint-<kind>-title and hint-<kind>-text (see
// docs/templates.md). A kind without both is an error, so that a reload
// never leaves the rewrite API without a hint to send.
func ReadHints(set *pages.Set) (map[verdict.SignalKind]click.Hint, error) {
	hints := make(map[verdict.SignalKind]click.Hint, len(verdict.SignalKinds))
	for _, k := range verdict.SignalKinds {
		title, err := set.Text("hint-" + string(k) + "-title")
		if err != nil {
			return nil, err
		}
		text, err := set.Text("hint-" + string(k) + "-text")
		if err != nil {
			return nil, err
		}
		hints[k] = click.Hint{Title: title, Text: text}
	}
	return hints, nil
}
