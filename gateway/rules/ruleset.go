package rules

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/blibli/safelink/gateway/registrable"
)

// RuleSet is an immutable set of rules indexed for matching: host rules by
// host, domain rules by domain, url-prefix rules by the host of the prefix.
// Match costs a few map lookups whatever the number of rules. A RuleSet is
// safe for concurrent use; the zero value and nil are empty sets.
type RuleSet struct {
	byID     map[string]*Rule
	hosts    map[string][]*Rule
	domains  map[string][]*Rule
	prefixes map[string][]prefixRule
}

// prefixRule is a url-prefix rule with its prefix after the scheme, the part
// compared with a URL.
type prefixRule struct {
	rule *Rule
	rest string
}

// NewRuleSet indexes rules, which must be normalized (as a Store returns
// them). A later rule with the ID of an earlier one replaces it.
func NewRuleSet(rules []Rule) *RuleSet {
	s := &RuleSet{
		byID:     make(map[string]*Rule, len(rules)),
		hosts:    map[string][]*Rule{},
		domains:  map[string][]*Rule{},
		prefixes: map[string][]prefixRule{},
	}
	for i := range rules {
		s.byID[rules[i].ID] = &rules[i]
	}
	for _, r := range s.byID {
		switch r.Match {
		case MatchHost:
			s.hosts[r.Value] = append(s.hosts[r.Value], r)
		case MatchDomain:
			s.domains[r.Value] = append(s.domains[r.Value], r)
		case MatchURLPrefix:
			// Stored values are normalized already; writing them again
			// keeps a rule stored by an older version in step.
			rest := matchFormOf(r.Value)
			s.prefixes[prefixHost(rest)] = append(s.prefixes[prefixHost(rest)], prefixRule{rule: r, rest: rest})
		}
	}
	return s
}

// prefixHost returns the host of a URL after its scheme: no port, IPv6
// without brackets, as a link's host is given to Match.
func prefixHost(rest string) string {
	hostport := rest
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		hostport = rest[:i]
	}
	if strings.HasPrefix(hostport, "[") {
		if end := strings.IndexByte(hostport, ']'); end > 0 {
			return hostport[1:end]
		}
	}
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		return hostport[:i]
	}
	return hostport
}

// Len is the number of rules, expired ones included.
func (s *RuleSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.byID)
}

// Rules returns every rule, expired ones included, oldest first.
func (s *RuleSet) Rules() []Rule {
	if s == nil {
		return nil
	}
	out := make([]Rule, 0, len(s.byID))
	for _, r := range s.byID {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Rule) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	return out
}

// Match returns the rule that decides a link, if any rule matches it at
// now. host is the link's host as the gateway normalizes it (lowercase
// ASCII, or an IP address without brackets) and url the whole normalized
// link. Of several matching rules the strongest action wins; among equal
// actions the more specific rule (url-prefix, then host, then the deepest
// domain), then the oldest.
func (s *RuleSet) Match(host, url string, now time.Time) (Rule, bool) {
	if s == nil || len(s.byID) == 0 {
		return Rule{}, false
	}
	var best *Rule
	bestRank := 0
	consider := func(r *Rule, rank int) {
		if !r.Active(now) {
			return
		}
		if best == nil || beats(r, rank, best, bestRank) {
			best, bestRank = r, rank
		}
	}
	for _, r := range s.hosts[host] {
		consider(r, rankHost)
	}
	for d := host; d != ""; _, d, _ = strings.Cut(d, ".") {
		list := s.domains[d]
		if len(list) == 0 {
			continue
		}
		if !registrable.Covers(d, host) {
			break // d reaches past host's registrable domain, and so does every parent
		}
		for _, r := range list {
			consider(r, rankDomain+len(d))
		}
	}
	if list := s.prefixes[host]; len(list) > 0 {
		rest := matchFormOf(url)
		for _, p := range list {
			if strings.HasPrefix(rest, p.rest) {
				consider(p.rule, rankPrefix+len(p.rest))
			}
		}
	}
	if best == nil {
		return Rule{}, false
	}
	return *best, true
}

// Ranks of specificity: any url-prefix rule is more specific than a host
// rule, which is more specific than any domain rule. Longer values rank
// higher within prefixes and domains.
const (
	rankDomain = 0
	rankHost   = 1 << 12
	rankPrefix = 1 << 13
)

// beats reports whether rule a of rank ra wins over rule b of rank rb.
func beats(a *Rule, ra int, b *Rule, rb int) bool {
	if sa, sb := strength(a.Action), strength(b.Action); sa != sb {
		return sa > sb
	}
	if ra != rb {
		return ra > rb
	}
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}

// withoutUser returns url after its scheme, without a user part.
func withoutUser(url string) string {
	_, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
		return rest[at+1:]
	}
	return rest
}

// ruleMap returns a mutable copy of the rules by ID.
func (s *RuleSet) ruleMap() map[string]Rule {
	m := make(map[string]Rule, s.Len())
	if s != nil {
		for id, r := range s.byID {
			m[id] = *r
		}
	}
	return m
}
