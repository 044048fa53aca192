package click

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/expand"
	"github.com/blibli/safelink/gateway/linkify"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// chains is an Expander that answers from a map of links to the chains
// they lead through, and counts what it is asked.
type chains struct {
	to    map[string][]string
	asked []string
}

func (c *chains) Expand(_ context.Context, link string, shortener func(string) bool) expand.Expansion {
	c.asked = append(c.asked, link)
	chain, ok := c.to[link]
	if !ok {
		return expand.Expansion{Chain: []string{link}, Outcome: expand.Timeout}
	}
	return expand.Expansion{Chain: append([]string{link}, chain...), Outcome: expand.Found}
}

// ruleOn is a RuleMatcher with one rule on one host.
type ruleOn struct {
	host string
	rule rules.Rule
}

func (r ruleOn) Match(host, _ string, _ time.Time) (rules.Rule, bool) {
	return r.rule, host == r.host
}

func TestExpandDecidesOnTheDestination(t *testing.T) {
	policy := embeddedPolicy(t)
	x := &chains{to: map[string][]string{
		"https://bit.ly/official": {"https://www.blibli.com/promo"},
		"https://bit.ly/external": {"https://s.id/x", "https://promo-hadiah.xyz/klaim"},
		"https://bit.ly/internal": {"http://10.0.0.1/"},
		"https://bit.ly/gateway":  {"https://link.blibli.com/go?u=https%3A%2F%2Fwww.blibli.com%2F"},
	}}
	tests := []struct {
		name    string
		link    string
		sig     verdict.Signature
		require bool
		rule    *ruleOn
		action  verdict.Action
		target  string
		reasons []verdict.Reason
		via     int
		asked   bool
	}{
		{name: "official", link: "https://bit.ly/official", sig: verdict.SignedValid, action: verdict.Redirect, target: "https://www.blibli.com/promo", via: 1, asked: true},
		{name: "official through a gateway link", link: "https://bit.ly/gateway", sig: verdict.SignedValid, action: verdict.Redirect, target: "https://www.blibli.com/", via: 1, asked: true},
		{name: "official, unsigned where signatures are required", link: "https://bit.ly/official", sig: verdict.Unsigned, require: true,
			action: verdict.Warn, target: "https://www.blibli.com/promo", reasons: []verdict.Reason{verdict.ReasonUnsigned}, via: 1, asked: true},
		{name: "external", link: "https://bit.ly/external", sig: verdict.SignedValid, action: verdict.Warn, target: "https://promo-hadiah.xyz/klaim",
			reasons: []verdict.Reason{verdict.ReasonExternal}, via: 2, asked: true},
		{name: "internal destination", link: "https://bit.ly/internal", sig: verdict.SignedValid, action: verdict.Warn, target: "https://bit.ly/internal",
			reasons: []verdict.Reason{verdict.ReasonExternal, verdict.ReasonShortener, verdict.ReasonUnexpanded}, asked: true},
		{name: "not found", link: "https://bit.ly/unknown", sig: verdict.SignedValid, action: verdict.Warn, target: "https://bit.ly/unknown",
			reasons: []verdict.Reason{verdict.ReasonExternal, verdict.ReasonShortener, verdict.ReasonUnexpanded}, asked: true},
		{name: "tampered", link: "https://bit.ly/official", sig: verdict.Tampered, action: verdict.Warn, target: "https://bit.ly/official",
			reasons: []verdict.Reason{verdict.ReasonExternal, verdict.ReasonShortener, verdict.ReasonTampered}},
		{name: "a warn rule on the shortener link", link: "https://bit.ly/official", sig: verdict.SignedValid,
			rule: &ruleOn{"bit.ly", rules.Rule{Action: verdict.RuleWarn}}, action: verdict.Warn, target: "https://bit.ly/official",
			reasons: []verdict.Reason{verdict.ReasonExternal, verdict.ReasonShortener, verdict.ReasonSecurityTeam}},
		{name: "a block rule on the shortener", link: "https://bit.ly/official", sig: verdict.SignedValid,
			rule: &ruleOn{"bit.ly", rules.Rule{Action: verdict.RuleBlock}}, action: verdict.Block, target: "https://bit.ly/official",
			reasons: []verdict.Reason{verdict.ReasonExternal, verdict.ReasonShortener}},
		{name: "a block rule on the destination", link: "https://bit.ly/external", sig: verdict.SignedValid,
			rule: &ruleOn{"promo-hadiah.xyz", rules.Rule{Action: verdict.RuleBlock}}, action: verdict.Block, target: "https://promo-hadiah.xyz/klaim",
			reasons: []verdict.Reason{verdict.ReasonExternal}, via: 2, asked: true},
		{name: "not a shortener", link: "https://toko-sepatu.id/", sig: verdict.SignedValid, action: verdict.Warn, target: "https://toko-sepatu.id/",
			reasons: []verdict.Reason{verdict.ReasonExternal}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x.asked = nil
			s := &Service{Expander: x, RequireSignature: tt.require}
			if tt.rule != nil {
				s.Rules = tt.rule
			}
			var counted []expand.Expansion
			s.Expanded = func(e expand.Expansion) { counted = append(counted, e) }
			now := time.Now()
			o := Origin{Signature: tt.sig}
			v := s.Expand(context.Background(), policy, policy.Lists.Shortener, s.Apply(context.Background(), policy.Decide(tt.link), o, now), o, now)
			if v.Action != tt.action || v.Target != tt.target || !slices.Equal(v.Reasons, tt.reasons) || len(v.Via) != tt.via {
				t.Errorf("%s %s %v via %v, want %s %s %v via %d", v.Action, v.Target, v.Reasons, v.Via, tt.action, tt.target, tt.reasons, tt.via)
			}
			if tt.via > 0 && v.Via[0] != tt.link {
				t.Errorf("via %v does not start at the clicked link", v.Via)
			}
			if asked := len(x.asked) > 0; asked != tt.asked || len(counted) != len(x.asked) {
				t.Errorf("the expander was asked %v and %d counted, want asked %v", x.asked, len(counted), tt.asked)
			}
		})
	}
}

// TestRewriteNeverExpands: the rewrite API decides on a message's links
// without asking any shortener.
func TestRewriteNeverExpands(t *testing.T) {
	x := &chains{}
	s := &Service{Expander: x}
	rw, err := linkify.NewRewriter("https://link.blibli.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	m := s.RewriteMessage(context.Background(), &Messages{Policy: embeddedPolicy(t), Rewriter: rw}, "Kak, cek bit.ly/promo-sepatu ya")
	if len(m.Links) != 1 || !slices.Contains(m.Links[0].Verdict.Reasons, string(verdict.ReasonShortener)) || len(x.asked) > 0 {
		t.Errorf("rewrite: %+v, the expander asked %v", m.Links, x.asked)
	}
}
