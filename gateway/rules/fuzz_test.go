package rules

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
)

// FuzzNormalize checks that normalization never panics, is idempotent,
// gives printable ASCII, and that a normalized rule matches what it names.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"Evil.Example.com", "bücher.example.com.", "192.0.2.1", "[2001:db8::1]", "co.id",
		"https://EVIL.example:443/a b?c=%zz", "http://[::1]:80/x", "https://x.example?q",
		"ｅｖｉｌ.example.com", "xn--bcher-kva.example.com", "0x7f.1", "a..b.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		for _, kind := range []Kind{MatchDomain, MatchHost, MatchURLPrefix} {
			r, err := Rule{ID: "x", Match: kind, Value: value, Action: verdict.RuleBlock, Reason: "r", CreatedBy: "b"}.Normalize()
			if err != nil {
				continue
			}
			again, err := r.Normalize()
			if err != nil || again != r {
				t.Fatalf("%s %q: normalized %q does not normalize to itself: %q, %v", kind, value, r.Value, again.Value, err)
			}
			for i := 0; i < len(r.Value); i++ {
				if c := r.Value[i]; c <= ' ' || c >= 0x7f {
					t.Fatalf("%s %q: normalized %q has byte %#x", kind, value, r.Value, c)
				}
			}
			host, url := r.Value, "https://"+r.Value+"/"
			if strings.Contains(host, ":") && kind == MatchHost {
				url = "https://[" + r.Value + "]/"
			}
			if kind == MatchURLPrefix {
				_, rest, _ := strings.Cut(r.Value, "://")
				host, url = prefixHost(rest), r.Value
			}
			if _, ok := NewRuleSet([]Rule{r}).Match(host, url, t0); !ok {
				t.Fatalf("%s %q: rule %q does not match %q on host %q", kind, value, r.Value, url, host)
			}
		}
	})
}

// FuzzMatch checks RuleSet.Match against its definition, computed the slow
// way over every rule: of the active rules that cover the link (a domain
// and its subdomains down to their registrable domain, one host, or a
// prefix of the link after its scheme and user part), the strongest action
// wins, then the most specific rule, then the oldest. Domain rules whose
// value is refused stay in, as rules stored before the check would.
func FuzzMatch(f *testing.F) {
	f.Add("evil.example.com", "a.evil.example.com", "https://docs.example/phish", "https://a.evil.example.com/x", uint16(0x1234), int16(5))
	f.Add("example.com", "192.0.2.7", "http://[2001:db8::2]:8080/x", "http://[2001:db8::2]:8080/xy?z", uint16(0xffff), int16(-3))
	f.Add("scam.github.io", "scam.github.io", "https://scam.github.io/", "https://user@scam.github.io/a", uint16(0x0f0f), int16(0))
	f.Add("bücher.example", "0x7f.1", "https://xn--bcher-kva.example/p", "http://BÜCHER.example:80/p", uint16(0x5a5a), int16(120))
	f.Add("amazonaws.com", "windows.net", "github.io", "https://bucket.s3.amazonaws.com/", uint16(0x0000), int16(0))
	f.Add("amazonaws.com", "windows.net", "github.io", "https://site.blob.core.windows.net/", uint16(0x0249), int16(0))
	f.Fuzz(func(t *testing.T, a, b, c, link string, bits uint16, at int16) {
		u, err := weburl.Parse(link)
		if err != nil {
			return
		}
		kinds := []Kind{MatchDomain, MatchHost, MatchURLPrefix}
		actions := []verdict.RuleAction{verdict.RuleBlock, verdict.RuleWarn, verdict.RuleAllow}
		var set []Rule
		for i, value := range []string{a, b, c, a, b, c} {
			spec := bits >> (3 * i) // kind, action and expiry of rule i
			r := Rule{
				ID: fmt.Sprint("r", i), Match: kinds[(int(spec)+i)%3], Value: value, Action: actions[spec%3],
				Reason: "r", CreatedBy: "b", CreatedAt: t0.Add(time.Duration(i%3) * time.Minute),
			}
			if spec&4 != 0 {
				r.ExpiresAt = t0.Add(time.Duration(i) * time.Minute)
			}
			if n, err := r.Normalize(); err == nil {
				set = append(set, n)
			} else if r.Match == MatchDomain {
				set = append(set, r) // as stored before a check that refuses it now
			}
		}
		now := t0.Add(time.Duration(at) * time.Second)
		want, wantOK := slowMatch(set, u, now)
		got, ok := NewRuleSet(set).Match(u.Host, u.String(), now)
		if ok != wantOK || got.ID != want.ID {
			t.Fatalf("Match(%q) = %q %v, want %q %v, of %+v", u, got.ID, ok, want.ID, wantOK, set)
		}
	})
}

// slowMatch is the definition of Match, rule by rule.
func slowMatch(set []Rule, u *weburl.URL, now time.Time) (Rule, bool) {
	rest := u.WithoutUser().String()
	rest = rest[len(u.Scheme+"://"):]
	var best Rule
	bestRank, found := 0, false
	for _, r := range set {
		rank := -1
		switch _, prefix, _ := strings.Cut(r.Value, "://"); {
		case !r.Active(now):
		case r.Match == MatchDomain && (u.Host == r.Value || strings.HasSuffix(u.Host, "."+r.Value)) && atOrBelow(r.Value, u.Host):
			rank = len(r.Value)
		case r.Match == MatchHost && u.Host == r.Value:
			rank = 1 << 20
		case r.Match == MatchURLPrefix && strings.HasPrefix(rest, prefix):
			rank = 1<<21 + len(prefix)
		}
		if rank < 0 {
			continue
		}
		if !found || strength(r.Action) > strength(best.Action) ||
			r.Action == best.Action && (rank > bestRank || rank == bestRank && (r.CreatedAt.Before(best.CreatedAt) ||
				r.CreatedAt.Equal(best.CreatedAt) && r.ID < best.ID)) {
			best, bestRank, found = r, rank, true
		}
	}
	return best, found
}

// atOrBelow reports whether domain is host's registrable domain (eTLD+1)
// or below it.
func atOrBelow(domain, host string) bool {
	site, err := publicsuffix.EffectiveTLDPlusOne(host)
	return err == nil && (domain == site || strings.HasSuffix(domain, "."+site))
}

// FuzzParseExpiresIn checks the parser of a new rule's expires_in: it never
// panics, what it accepts lies within MaxExpiresIn and is zero only for no
// expiry, a positive duration reads back from its Go form, and an error
// names the field and never repeats a long input whole.
func FuzzParseExpiresIn(f *testing.F) {
	for _, s := range []string{"90m", "12h30m", "7d", " 0 ", "", "366d", "367d", "-1d", "1.5h", "8784h0m1s", "9223372036854775807d", "+3d", "1e3h", "٣d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseExpiresIn(s)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "expires_in" {
				t.Fatalf("ParseExpiresIn(%q) error %v names no field", s, err)
			}
			if len(s) > 60 && strings.Contains(err.Error(), s) {
				t.Fatalf("ParseExpiresIn(%q) error repeats the whole input: %v", s, err)
			}
			return
		}
		if d < 0 || d > MaxExpiresIn || (d == 0) != (strings.TrimSpace(s) == "" || strings.TrimSpace(s) == "0") {
			t.Fatalf("ParseExpiresIn(%q) = %v", s, d)
		}
		if again, err := ParseExpiresIn(d.String()); d > 0 && (err != nil || again != d) {
			t.Fatalf("ParseExpiresIn(%q) = %v, which reads back as %v, %v", s, d, again, err)
		}
	})
}

// FuzzPrefixSpellings checks that a link and an equivalent spelling of it
// match the same url-prefix rule: escaped unreserved characters, "./" and
// "seg/../" inserted, doubled slashes, a capitalized host.
func FuzzPrefixSpellings(f *testing.F) {
	f.Add("a/b/c?q=1", uint8(0), uint8(3))
	f.Add("a/b", uint8(1), uint8(1))
	f.Add("promo/x.html", uint8(2), uint8(0))
	set := NewRuleSet([]Rule{
		rule(f, "a", MatchURLPrefix, "https://docs.example/a/", verdict.RuleBlock, 0),
		rule(f, "ab", MatchURLPrefix, "https://docs.example/a/b", verdict.RuleWarn, 0),
		rule(f, "promo", MatchURLPrefix, "https://docs.example/promo/", verdict.RuleAllow, 0),
	})
	now := time.Now()
	match := func(link string) (string, bool) {
		u, err := weburl.Parse(link)
		if err != nil {
			return "", false
		}
		r, ok := set.Match(u.Host, u.String(), now)
		return r.ID, ok
	}
	f.Fuzz(func(t *testing.T, path string, how, at uint8) {
		if strings.ContainsAny(path, "#%\\") {
			return
		}
		original := "https://docs.example/" + path
		if _, err := weburl.Parse(original); err != nil {
			return
		}
		variant := respell(original, how, int(at))
		wantID, wantOK := match(original)
		if id, ok := match(variant); id != wantID || ok != wantOK {
			t.Fatalf("%q matches %q (%v), its spelling %q matches %q (%v)", original, wantID, wantOK, variant, id, ok)
		}
	})
}

// respell writes link another way that a browser and a server read alike:
// how picks the way, at where in the path.
func respell(link string, how uint8, at int) string {
	const origin = "https://docs.example"
	path, query, hasQuery := strings.Cut(strings.TrimPrefix(link, origin), "?")
	at = at % (len(path) + 1)
	switch how % 5 {
	case 0: // an unreserved character escaped
		for i := at; i < len(path); i++ {
			if unreserved(path[i]) {
				path = path[:i] + fmt.Sprintf("%%%02x", path[i]) + path[i+1:]
				break
			}
		}
	case 1: // "./" after a slash
		if i := strings.LastIndexByte(path[:at], '/'); i >= 0 {
			path = path[:i+1] + "./" + path[i+1:]
		}
	case 2: // "seg/../" after a slash
		if i := strings.LastIndexByte(path[:at], '/'); i >= 0 {
			path = path[:i+1] + "x/../" + path[i+1:]
		}
	case 3: // a slash doubled
		if i := strings.LastIndexByte(path[:at], '/'); i >= 0 {
			path = path[:i] + "/" + path[i:]
		}
	case 4: // the host in capitals
		return "https://DOCS.EXAMPLE" + strings.TrimPrefix(link, origin)
	}
	if hasQuery {
		return origin + path + "?" + query
	}
	return origin + path
}

// FuzzChangeJSON reads any audit entry: one that decodes is written again
// with its author and note and without a "by", and reads back the same;
// a "by" with no note becomes the note.
func FuzzChangeJSON(f *testing.F) {
	f.Add(`{"revision":7,"op":"remove","rule":{"id":"0123456789abcdef","match":"domain","value":"promo-palsu.com"},"by":"bob","why":"selesai","time":"2025-01-03T00:00:00Z"}`)
	f.Add(`{"revision":8,"op":"add","rule":{},"author":"secops","note":"ana","by":"bob","why":"x","time":"2025-01-03T00:00:00Z"}`)
	f.Add(`{"op":"expire","author":"safelink","by":null}`)
	f.Add(`{"by":1}`)
	f.Fuzz(func(t *testing.T, entry string) {
		var c Change
		if json.Unmarshal([]byte(entry), &c) != nil {
			return
		}
		var fields map[string]any
		if json.Unmarshal([]byte(entry), &fields) == nil {
			if by, ok := fields["by"].(string); ok && fields["note"] == nil && c.Note != by {
				t.Fatalf("%s: note %q, want the by %q", entry, c.Note, by)
			}
		}
		written, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("%s: writing %+v: %v", entry, c, err)
		}
		var again Change
		if err := json.Unmarshal(written, &again); err != nil || strings.Contains(string(written), `"by"`) ||
			again.Author != c.Author || again.Note != c.Note || again.Why != c.Why || again.Revision != c.Revision ||
			again.Op != c.Op || !again.Time.Equal(c.Time) || again.Rule.ID != c.Rule.ID {
			t.Fatalf("%s: written as %s, read back as %+v, %v; want %+v", entry, written, again, err, c)
		}
	})
}
