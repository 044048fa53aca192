package verdict_test

import (
	"slices"
	"testing"

	"github.com/blibli/safelink/gateway/verdict"
)

func TestApply(t *testing.T) {
	p := testPolicy(t)
	var (
		block = &verdict.Rule{ID: "r1", Action: verdict.RuleBlock, Reason: "kampanye phishing"}
		warn  = &verdict.Rule{ID: "r2", Action: verdict.RuleWarn, Reason: "penjual palsu"}
		allow = &verdict.Rule{ID: "r3", Action: verdict.RuleAllow, Reason: "mitra resmi"}
		phish = []verdict.Threat{verdict.ThreatSocialEngineering}
	)
	const (
		official = "https://www.blibli.com/promo"
		external = "https://partner.example/x"
		shortURL = "https://bit.ly/x"
	)
	tests := []struct {
		name    string
		link    string
		facts   verdict.Facts
		action  verdict.Action
		reasons R
	}{
		{"nothing known", official, verdict.Facts{}, verdict.Redirect, nil},
		{"valid signature", official, verdict.Facts{Signature: verdict.SignedValid, RequireSignature: true}, verdict.Redirect, nil},
		{"block rule beats the allowlist", official, verdict.Facts{Rule: block}, verdict.Block, nil},
		{"threat beats the allowlist", official, verdict.Facts{Threats: phish}, verdict.Block, nil},
		{"threat beats an allow rule", external, verdict.Facts{Rule: allow, Threats: phish}, verdict.Block, R{ext}},
		{"warn rule on an official host", official, verdict.Facts{Rule: warn}, verdict.Warn, R{verdict.ReasonSecurityTeam}},
		{"warn rule on an external host", external, verdict.Facts{Rule: warn}, verdict.Warn, R{ext, verdict.ReasonSecurityTeam}},
		{"allow rule lets https through", external, verdict.Facts{Rule: allow}, verdict.Redirect, nil},
		{"allow rule lifts shortener", shortURL, verdict.Facts{Rule: allow}, verdict.Redirect, nil},
		{"allow rule never lifts http", "http://partner.example/", verdict.Facts{Rule: allow}, verdict.Warn, R{ext, http}},
		{"allow rule never lifts credentials", "https://a:b@partner.example/", verdict.Facts{Rule: allow}, verdict.Warn, R{ext, cred}},
		{"allow rule never lifts unverified", external, verdict.Facts{Rule: allow, ThreatsUnverified: true}, verdict.Warn, R{ext, verdict.ReasonUnverified}},
		{"allow rule never lifts tampered", external, verdict.Facts{Rule: allow, Signature: verdict.Tampered}, verdict.Warn, R{ext, verdict.ReasonTampered}},
		{"tampered official", official, verdict.Facts{Signature: verdict.Tampered}, verdict.Warn, R{verdict.ReasonTampered}},
		{"tampered external", external, verdict.Facts{Signature: verdict.Tampered}, verdict.Warn, R{ext, verdict.ReasonTampered}},
		{"unsigned, not required", official, verdict.Facts{Signature: verdict.Unsigned}, verdict.Redirect, nil},
		{"unsigned, required", official, verdict.Facts{Signature: verdict.Unsigned, RequireSignature: true}, verdict.Warn, R{verdict.ReasonUnsigned}},
		{"unsigned external, required", external, verdict.Facts{Signature: verdict.Unsigned, RequireSignature: true}, verdict.Warn, R{ext}},
		{"unverified official still redirects", official, verdict.Facts{ThreatsUnverified: true}, verdict.Redirect, nil},
		{"unverified external", external, verdict.Facts{ThreatsUnverified: true}, verdict.Warn, R{ext, verdict.ReasonUnverified}},
		{"unverified required-unsigned official", official, verdict.Facts{ThreatsUnverified: true, Signature: verdict.Unsigned, RequireSignature: true}, verdict.Warn, R{verdict.ReasonUnsigned, verdict.ReasonUnverified}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := p.Decide(tt.link)
			reasonsBefore := slices.Clone(before.Reasons)
			v := before.Apply(tt.facts)
			if v.Action != tt.action || !slices.Equal(v.Reasons, tt.reasons) {
				t.Errorf("Apply = %s %v, want %s %v", v.Action, v.Reasons, tt.action, tt.reasons)
			}
			if !slices.Equal(before.Reasons, reasonsBefore) {
				t.Errorf("Apply changed the verdict it was called on: %v", before.Reasons)
			}
			if v.Signed != (tt.facts.Signature == verdict.SignedValid) || v.Rule != tt.facts.Rule {
				t.Errorf("Apply did not record the signature or the rule: %+v", v)
			}
			if v.Action == verdict.Block && tt.facts.Threats != nil && !slices.Equal(v.Threats, tt.facts.Threats) {
				t.Errorf("threats %v", v.Threats)
			}
		})
	}
}

func TestApplyKeepsInvalidFinal(t *testing.T) {
	p := testPolicy(t)
	v := p.Decide("javascript:alert(1)").Apply(verdict.Facts{Rule: &verdict.Rule{Action: verdict.RuleAllow}, Threats: []verdict.Threat{verdict.ThreatMalware}})
	if v.Action != verdict.Invalid {
		t.Errorf("Apply turned an invalid link into %s", v.Action)
	}
}

func TestSuspectedListsWarnEvenForOfficialLinks(t *testing.T) {
	p := testPolicy(t)
	extended := []verdict.Threat{verdict.ThreatSocialEngineeringExtended}
	for _, link := range []string{"https://www.blibli.com/", "https://toko-sepatu.example/"} {
		v := p.Decide(link).Apply(verdict.Facts{Suspected: extended})
		if v.Action != verdict.Warn || !v.Has(verdict.ReasonSuspected) || !slices.Equal(v.Threats, extended) {
			t.Errorf("%s: %s %v %v, want a warning naming the suspected list", link, v.Action, v.Reasons, v.Threats)
		}
		allowed := p.Decide(link).Apply(verdict.Facts{Suspected: extended, Rule: &verdict.Rule{Action: verdict.RuleAllow}})
		if allowed.Action == verdict.Redirect {
			t.Errorf("%s: an allow rule lifted a suspected list", link)
		}
		both := p.Decide(link).Apply(verdict.Facts{Suspected: extended, Threats: []verdict.Threat{verdict.ThreatMalware}})
		if both.Action != verdict.Block {
			t.Errorf("%s: a blocking list and a suspected one gave %s", link, both.Action)
		}
	}
}

func TestRequiredSignaturesCoverAllowRules(t *testing.T) {
	p := testPolicy(t)
	allow := &verdict.Rule{ID: "partner", Action: verdict.RuleAllow}
	for _, sig := range []verdict.Signature{verdict.Unsigned, verdict.Tampered} {
		v := p.Decide("https://mitra-resmi.example/katalog").Apply(verdict.Facts{Rule: allow, Signature: sig, RequireSignature: true})
		if v.Action == verdict.Redirect {
			t.Errorf("%s link to an allowed host redirected with signatures required", sig)
		}
	}
	if v := p.Decide("https://mitra-resmi.example/katalog").Apply(verdict.Facts{Rule: allow, Signature: verdict.SignedValid, RequireSignature: true}); v.Action != verdict.Redirect {
		t.Errorf("a signed link to an allowed host: %s %v, want a redirect", v.Action, v.Reasons)
	}
	if v := p.Decide("https://mitra-resmi.example/katalog").Apply(verdict.Facts{Rule: allow, Signature: verdict.Unsigned}); v.Action != verdict.Redirect {
		t.Errorf("an unsigned link to an allowed host without required signatures: %s, want a redirect", v.Action)
	}
}
