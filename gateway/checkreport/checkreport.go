// Package checkreport describes one decision line by line, the way
// "safelink check" prints it and the console's check page shows it: the
// action, why, the destination, and which rule or threat list decided.
package checkreport

import (
	"fmt"
	"strings"

	"github.com/blibli/safelink/gateway/verdict"
)

// Line is one named fact of a decision.
type Line struct {
	Name  string // action, reasons, problem, target, site, imitates, rule, threats, sources, lists, unwrapped
	Value string
}

// Lines describes v, the decision on input, with lists the state of the
// threat sources' lists (such as "webrisk ready"). Facts that v does not
// have are left out, but for the action and the input.
func Lines(v *verdict.Verdict, lists string) []Line {
	out := []Line{{"action", string(v.Action)}}
	add := func(name, value string) {
		if value != "" {
			out = append(out, Line{name, value})
		}
	}
	add("reasons", join(v.Reasons))
	add("problem", string(v.Problem))
	add("target", v.Target)
	if v.Site != "" {
		site := v.Site
		if u := v.SiteUnicode(); u != site {
			site = u + " (" + site + ")"
		}
		add("site", site)
	}
	add("imitates", v.Imitates)
	if r := v.Rule; r != nil {
		add("rule", fmt.Sprintf("%s %s: %s", r.ID, r.Action, r.Reason))
	}
	add("threats", join(v.Threats))
	add("sources", join(v.Sources))
	add("lists", lists)
	if v.Hops > 0 {
		add("unwrapped", fmt.Sprintf("%d gateway link(s)", v.Hops))
	}
	return out
}

// join lists words of any string type, comma-separated.
func join[S ~string](words []S) string {
	s := make([]string, len(words))
	for i, w := range words {
		s[i] = string(w)
	}
	return strings.Join(s, ", ")
}
