package gateway_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// reportFrom reports link, from its warning page, as the client at addr.
func (s *sharedGateway) reportFrom(t *testing.T, link, category, addr string) {
	t.Helper()
	page := do(t, s.Public(), http.MethodGet, goURL(link))
	found := tokens(t, page.body)
	if len(found) == 0 {
		t.Fatalf("%s: %d without a report form", link, page.status)
	}
	r := postFrom(t, s.Public(), "/report", url.Values{"t": {found[len(found)-1]}, "category": {category}}, "same-origin", addr)
	if r.status != http.StatusSeeOther {
		t.Fatalf("report of %s from %s: %d", link, addr, r.status)
	}
}

// reportedRules are the stored rules that reports added.
func (s *sharedGateway) reportedRules(t *testing.T) []rules.Rule {
	t.Helper()
	snap, err := s.rules.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []rules.Rule
	for _, r := range snap.Rules {
		if r.Action == verdict.RuleReported {
			out = append(out, r)
		}
	}
	return out
}

func TestThreeClientsReportingMakeTheDomainReported(t *testing.T) {
	s := newSharedGateway(t, 100)
	for i := range 3 {
		s.reportFrom(t, "https://promo.hadiah-kilat.xyz/klaim", "scam", fmt.Sprintf("203.0.113.%d:1000", i+1))
	}
	got := s.reportedRules(t)
	if len(got) != 1 || got[0].Value != "hadiah-kilat.xyz" || got[0].Match != rules.MatchDomain || got[0].Author != gateway.ReportsAuthor ||
		got[0].ExpiresAt.Sub(got[0].CreatedAt) > 24*time.Hour || got[0].ExpiresAt.Sub(got[0].CreatedAt) < 24*time.Hour-time.Second {
		t.Fatalf("reported rules: %+v", got)
	}
	deadline := time.Now().Add(time.Second)
	for r := do(t, s.Public(), http.MethodGet, goURL("https://hadiah-kilat.xyz/lain")); !strings.Contains(r.body, "reason-reported"); r = do(t, s.Public(), http.MethodGet, goURL("https://hadiah-kilat.xyz/lain")) {
		if time.Now().After(deadline) {
			t.Fatalf("no reported reason a second after the rule: %d", r.status)
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.reportFrom(t, "https://promo.hadiah-kilat.xyz/klaim", "scam", "203.0.113.4:1000")
	if got := s.reportedRules(t); len(got) != 1 {
		t.Errorf("a fourth report added another rule: %+v", got)
	}
}

func TestReportsThatDoNotMakeADomainReported(t *testing.T) {
	s := newSharedGateway(t, 100)
	s.addRule(t, rules.Rule{Match: rules.MatchDomain, Value: "mitra-kurir.xyz", Action: verdict.RuleAllow, Reason: "mitra resmi", Author: "test"})
	s.addRule(t, rules.Rule{Match: rules.MatchDomain, Value: "sudah-diputus.xyz", Action: verdict.RuleWarn, Reason: "dipantau", Author: "test"})
	cases := map[string]func(i int) (link, category, addr string){
		"one client many times": func(int) (string, string, string) { return "https://sekali.xyz/", "scam", "203.0.113.1:1" },
		"false positives": func(i int) (string, string, string) {
			return "https://keliru.xyz/", "false-positive", fmt.Sprintf("203.0.113.%d:1", i+1)
		},
		"an allow rule's domain": func(i int) (string, string, string) {
			// over http, which an allow rule does not let through, so it warns
			return "http://mitra-kurir.xyz/lacak", "scam", fmt.Sprintf("203.0.113.%d:1", i+1)
		},
		"a domain the team decided on": func(i int) (string, string, string) {
			return "https://sudah-diputus.xyz/", "phishing", fmt.Sprintf("203.0.113.%d:1", i+1)
		},
		"an official domain": func(i int) (string, string, string) {
			return "https://www.blibli.com:8443/promo", "scam", fmt.Sprintf("203.0.113.%d:1", i+1)
		},
		"an IP address": func(i int) (string, string, string) {
			return "https://103.28.12.7/login", "scam", fmt.Sprintf("203.0.113.%d:1", i+1)
		},
	}
	for name, report := range cases {
		for i := range 5 {
			link, category, addr := report(i)
			s.reportFrom(t, link, category, addr)
		}
		if got := s.reportedRules(t); len(got) != 0 {
			t.Errorf("%s: reported rules %+v", name, got)
		}
	}
	if r := do(t, s.Public(), http.MethodGet, goURL("https://www.blibli.com/promo")); r.status != http.StatusFound {
		t.Errorf("the official domain after its reports: %d", r.status)
	}
}

func TestAdminAPIRefusesReportedRules(t *testing.T) {
	s := newSharedGateway(t, 100)
	api := loadOpenAPI(t)
	status, out := api.call(t, s.Internal(), http.MethodPost, "/admin/v1/rules",
		`{"match":"domain","value":"evil.xyz","action":"reported","reason":"r"}`, "application/json", adminToken)
	if status != http.StatusBadRequest || !strings.Contains(string(out), "users' reports only") {
		t.Errorf("a person adding a reported rule: %d %s", status, out)
	}
}
