package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// rule returns a normalized rule created at t0 plus age.
func rule(t testing.TB, id string, match Kind, value string, action verdict.RuleAction, age time.Duration) Rule {
	t.Helper()
	r, err := Rule{ID: id, Match: match, Value: value, Action: action, Reason: "test", CreatedBy: "test", CreatedAt: t0.Add(age)}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestMatchKinds(t *testing.T) {
	set := NewRuleSet([]Rule{
		rule(t, "dom", MatchDomain, "evil.example.com", verdict.RuleBlock, 0),
		rule(t, "host", MatchHost, "cdn.shady.example", verdict.RuleWarn, 0),
		rule(t, "ip", MatchHost, "192.0.2.7", verdict.RuleBlock, 0),
		rule(t, "ip6", MatchHost, "2001:db8::1", verdict.RuleWarn, 0),
		rule(t, "prefix", MatchURLPrefix, "https://docs.example/phish", verdict.RuleBlock, 0),
		rule(t, "prefix6", MatchURLPrefix, "http://[2001:db8::2]:8080/x", verdict.RuleWarn, 0),
		rule(t, "private", MatchDomain, "scam.github.io", verdict.RuleBlock, 0),
	})
	tests := []struct {
		host, url, want string
	}{
		{"evil.example.com", "https://evil.example.com/", "dom"},
		{"a.b.evil.example.com", "https://a.b.evil.example.com/x", "dom"},
		{"notevil.example.com", "https://notevil.example.com/", ""},
		{"evil.example.com.other.example", "https://evil.example.com.other.example/", ""},
		{"example.com", "https://example.com/", ""},
		{"cdn.shady.example", "https://cdn.shady.example/", "host"},
		{"www.cdn.shady.example", "https://www.cdn.shady.example/", ""},
		{"shady.example", "https://shady.example/", ""},
		{"192.0.2.7", "http://192.0.2.7/", "ip"},
		{"2001:db8::1", "http://[2001:db8::1]/", "ip6"},
		{"docs.example", "https://docs.example/phish", "prefix"},
		{"docs.example", "https://docs.example/phishing/kit?x=1", "prefix"},
		{"docs.example", "http://docs.example/phish", "prefix"},
		{"docs.example", "https://user:pw@docs.example/phish", "prefix"},
		{"docs.example", "https://docs.example/Phish", ""},
		{"docs.example", "https://docs.example/", ""},
		{"docs.example", "https://docs.example:8443/phish", ""},
		{"docs.example", "https://docs.example/x#/phish", ""},
		{"2001:db8::2", "http://[2001:db8::2]:8080/x/y", "prefix6"},
		{"2001:db8::2", "http://[2001:db8::2]/x/y", ""},
		{"scam.github.io", "https://scam.github.io/", "private"},
		{"other.github.io", "https://other.github.io/", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		got, ok := set.Match(tt.host, tt.url, t0)
		if ok != (tt.want != "") || got.ID != tt.want {
			t.Errorf("Match(%q, %q) = %q, %v; want %q", tt.host, tt.url, got.ID, ok, tt.want)
		}
	}
}

func TestMatchPrecedence(t *testing.T) {
	tests := []struct {
		name  string
		rules []Rule
		want  string
	}{
		{"block beats a more specific allow", []Rule{
			rule(t, "allow-prefix", MatchURLPrefix, "https://a.evil.example.com/ok", verdict.RuleAllow, 0),
			rule(t, "block-domain", MatchDomain, "evil.example.com", verdict.RuleBlock, 0),
		}, "block-domain"},
		{"block beats a more specific warn", []Rule{
			rule(t, "warn-host", MatchHost, "a.evil.example.com", verdict.RuleWarn, 0),
			rule(t, "block-domain", MatchDomain, "evil.example.com", verdict.RuleBlock, 0),
		}, "block-domain"},
		{"warn beats allow", []Rule{
			rule(t, "allow-host", MatchHost, "a.evil.example.com", verdict.RuleAllow, 0),
			rule(t, "warn-domain", MatchDomain, "evil.example.com", verdict.RuleWarn, 0),
		}, "warn-domain"},
		{"equal actions: prefix beats host", []Rule{
			rule(t, "host", MatchHost, "a.evil.example.com", verdict.RuleBlock, 0),
			rule(t, "prefix", MatchURLPrefix, "https://a.evil.example.com/ok", verdict.RuleBlock, time.Hour),
		}, "prefix"},
		{"equal actions: host beats domain", []Rule{
			rule(t, "domain", MatchDomain, "a.evil.example.com", verdict.RuleWarn, 0),
			rule(t, "host", MatchHost, "a.evil.example.com", verdict.RuleWarn, time.Hour),
		}, "host"},
		{"equal actions: deeper domain wins", []Rule{
			rule(t, "parent", MatchDomain, "evil.example.com", verdict.RuleWarn, 0),
			rule(t, "child", MatchDomain, "a.evil.example.com", verdict.RuleWarn, time.Hour),
		}, "child"},
		{"equal actions: longer prefix wins", []Rule{
			rule(t, "short", MatchURLPrefix, "https://a.evil.example.com/", verdict.RuleWarn, 0),
			rule(t, "long", MatchURLPrefix, "https://a.evil.example.com/ok", verdict.RuleWarn, time.Hour),
		}, "long"},
		{"all equal: oldest wins", []Rule{
			rule(t, "newer", MatchHost, "a.evil.example.com", verdict.RuleBlock, time.Hour),
			rule(t, "older", MatchHost, "a.evil.example.com", verdict.RuleBlock, 0),
		}, "older"},
	}
	for _, tt := range tests {
		for _, order := range [][]Rule{tt.rules, {tt.rules[1], tt.rules[0]}} {
			got, ok := NewRuleSet(order).Match("a.evil.example.com", "https://a.evil.example.com/ok/x", t0)
			if !ok || got.ID != tt.want {
				t.Errorf("%s: got %q, %v; want %q", tt.name, got.ID, ok, tt.want)
			}
		}
	}
}

func TestMatchExpiresExactly(t *testing.T) {
	block := rule(t, "block", MatchDomain, "evil.example.com", verdict.RuleBlock, 0)
	block.ExpiresAt = t0.Add(time.Hour)
	warn := rule(t, "warn", MatchDomain, "evil.example.com", verdict.RuleWarn, 0)
	set := NewRuleSet([]Rule{block, warn})
	tests := []struct {
		at   time.Time
		want string
	}{
		{t0, "block"},
		{block.ExpiresAt.Add(-time.Nanosecond), "block"},
		{block.ExpiresAt, "warn"},
		{block.ExpiresAt.Add(time.Nanosecond), "warn"},
	}
	for _, tt := range tests {
		if got, _ := set.Match("evil.example.com", "https://evil.example.com/", tt.at); got.ID != tt.want {
			t.Errorf("at %v: %q, want %q", tt.at.Sub(block.ExpiresAt), got.ID, tt.want)
		}
	}
	if _, ok := NewRuleSet([]Rule{block}).Match("evil.example.com", "https://evil.example.com/", block.ExpiresAt); ok {
		t.Error("an expired rule matched at its ExpiresAt")
	}
}

func TestEmptyRuleSets(t *testing.T) {
	var nilSet *RuleSet
	for _, s := range []*RuleSet{nilSet, {}, NewRuleSet(nil)} {
		if _, ok := s.Match("evil.example.com", "https://evil.example.com/", t0); ok || s.Len() != 0 || len(s.Rules()) != 0 {
			t.Errorf("empty set %v matched or is not empty", s)
		}
	}
}

func TestRulesListsOldestFirst(t *testing.T) {
	set := NewRuleSet([]Rule{
		rule(t, "b", MatchHost, "b.example", verdict.RuleBlock, time.Hour),
		rule(t, "a", MatchHost, "a.example", verdict.RuleBlock, 0),
		rule(t, "b", MatchHost, "c.example", verdict.RuleWarn, 2*time.Hour),
	})
	got := set.Rules()
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" || got[1].Value != "c.example" || set.Len() != 2 {
		t.Errorf("Rules() = %+v", got)
	}
}

// A domain rule covers a host only down to the host's registrable domain,
// whatever its action: a rule stored before its value was refused, for a
// domain above a public suffix, covers that owner's names and never the
// names registered under the suffix.
func TestDomainRulesStopAtRegistrableDomain(t *testing.T) {
	stored := func(id, value string, action verdict.RuleAction) Rule {
		return Rule{ID: id, Match: MatchDomain, Value: value, Action: action, Reason: "r", CreatedBy: "b", CreatedAt: t0}
	}
	set := NewRuleSet([]Rule{
		stored("allow", "amazonaws.com", verdict.RuleAllow),
		stored("block", "windows.net", verdict.RuleBlock),
		stored("warn", "compute.amazonaws.com", verdict.RuleWarn),
		stored("suffix", "github.io", verdict.RuleBlock),
	})
	tests := []struct{ host, want string }{
		{"amazonaws.com", "allow"},
		{"www.amazonaws.com", "allow"},
		{"console.aws.amazonaws.com", "allow"},
		{"bucket.s3.amazonaws.com", ""},
		{"a.bucket.s3.amazonaws.com", ""},
		{"s3.amazonaws.com", ""},
		{"compute.amazonaws.com", "warn"},
		{"vm.eu-west-1.compute.amazonaws.com", ""},
		{"windows.net", "block"},
		{"www.windows.net", "block"},
		{"site.blob.core.windows.net", ""},
		{"github.io", ""},
		{"scam.github.io", ""},
	}
	for _, tt := range tests {
		got, ok := set.Match(tt.host, "https://"+tt.host+"/", t0)
		if got.ID != tt.want || ok != (tt.want != "") {
			t.Errorf("Match(%q) = %q %v, want %q", tt.host, got.ID, ok, tt.want)
		}
	}
}

// BenchmarkMatch matches links against sets of 10 to 10,000 rules, a third
// of each kind, the url-prefix rules spread over 100 hosts. The hit is a
// url-prefix rule under a host with parent domains to walk; the miss walks
// the parents of a host without rules.
func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{10, 1000, 10000} {
		rules := make([]Rule, 0, n)
		hit := ""
		for i := range n {
			id := fmt.Sprint(i)
			switch i % 3 {
			case 0:
				rules = append(rules, rule(b, id, MatchDomain, fmt.Sprintf("site%d.example.com", i), verdict.RuleBlock, 0))
			case 1:
				rules = append(rules, rule(b, id, MatchHost, fmt.Sprintf("www.site%d.example.com", i), verdict.RuleWarn, 0))
			default:
				hit = fmt.Sprintf("https://shop%d.example.com/seller%d/", i%100, i)
				rules = append(rules, rule(b, id, MatchURLPrefix, hit, verdict.RuleWarn, 0))
			}
		}
		set := NewRuleSet(rules)
		hitHost := prefixHost(hit[len("https://"):])
		hitURL := hit + "item?id=1"
		if _, ok := set.Match(hitHost, hitURL, t0); !ok {
			b.Fatalf("%s does not match", hitURL)
		}
		b.Run(fmt.Sprintf("rules=%d/hit", n), func(b *testing.B) {
			for b.Loop() {
				set.Match(hitHost, hitURL, t0)
			}
		})
		b.Run(fmt.Sprintf("rules=%d/miss", n), func(b *testing.B) {
			for b.Loop() {
				set.Match("a.b.c.unlisted.example.com", "https://a.b.c.unlisted.example.com/path/to/page", t0)
			}
		})
	}
}

// A url-prefix rule matches every spelling of the links it covers: dot
// segments, escaped unreserved characters, doubled slashes, capitals in
// the host or the escapes; and an allowed path cannot be left with "..".
func TestURLPrefixRulesMatchEverySpelling(t *testing.T) {
	set := NewRuleSet([]Rule{
		rule(t, "block", MatchURLPrefix, "https://docs.example/phish/", verdict.RuleBlock, 0),
		rule(t, "allow", MatchURLPrefix, "https://shared.example/partner/", verdict.RuleAllow, 0),
	})
	now := time.Now()
	for _, url := range []string{
		"https://docs.example/phish/login",
		"https://docs.example/phish/./login",
		"https://docs.example/x/../phish/login",
		"https://docs.example//phish/login",
		"https://docs.example/%70hish/login",
		"https://docs.example/%70HISH/../phish/login",
		"https://DOCS.example/phish/login",
	} {
		matchURL := strings.Replace(url, "DOCS", "docs", 1)
		if r, ok := set.Match("docs.example", normalizedLink(t, matchURL), now); !ok || r.ID != "block" {
			t.Errorf("%s: matched %v %v, want the block rule", url, r.ID, ok)
		}
	}
	for _, url := range []string{
		"https://shared.example/partner/../anything",
		"https://shared.example/partner/%2E%2E/anything",
		"https://shared.example/partnerx",
	} {
		if r, ok := set.Match("shared.example", normalizedLink(t, url), now); ok {
			t.Errorf("%s: matched the %s rule", url, r.ID)
		}
	}
}

// normalizedLink is url as the gateway serializes a link before matching.
func normalizedLink(t *testing.T, url string) string {
	t.Helper()
	u, err := weburl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	return u.String()
}
