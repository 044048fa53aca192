package rules

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

func valid(match Kind, value string) Rule {
	return Rule{Match: match, Value: value, Action: verdict.RuleBlock, Reason: "phishing kit", Author: "secops", CreatedBy: "sec-oncall"}
}

func TestNormalizeValues(t *testing.T) {
	tests := []struct {
		match       Kind
		value, want string
	}{
		{MatchDomain, "Evil.Example.COM", "evil.example.com"},
		{MatchDomain, " evil.example.com. ", "evil.example.com"},
		{MatchDomain, "BÜCHER.example.com", "xn--bcher-kva.example.com"},
		{MatchDomain, "evil.github.io", "evil.github.io"},
		{MatchDomain, "tokopedia.co.id", "tokopedia.co.id"},
		{MatchHost, "WWW.Evil.Example", "www.evil.example"},
		{MatchHost, "github.io", "github.io"},
		{MatchHost, "192.0.2.7", "192.0.2.7"},
		{MatchHost, "[2001:DB8::1]", "2001:db8::1"},
		{MatchHost, "2001:db8::1", "2001:db8::1"},
		{MatchHost, "::ffff:192.0.2.7", "192.0.2.7"},
		{MatchHost, "0300.0250.0.1", "192.168.0.1"}, // as a browser reads it, as the gateway does
		{MatchURLPrefix, "HTTPS://Evil.Example", "https://evil.example/"},
		{MatchURLPrefix, "https://evil.example:443/login", "https://evil.example/login"},
		{MatchURLPrefix, "http://evil.example:80/a?b=c d", "http://evil.example/a?b=c%20d"},
		{MatchURLPrefix, "http://evil.example:8080/x", "http://evil.example:8080/x"},
		{MatchURLPrefix, "https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"},
		{MatchURLPrefix, "https://evil.example/100%", "https://evil.example/100%25"},
		// Escapes are written in capitals, as every spelling of a link is when
		// matched.
		{MatchURLPrefix, "https://evil.example/%2f", "https://evil.example/%2F"},
		{MatchURLPrefix, "https://evil.example//promo/./a/../%62", "https://evil.example/promo/b"},
		{MatchURLPrefix, "https://[2001:db8::1]:8443/p", "https://[2001:db8::1]:8443/p"},
		{MatchURLPrefix, "https://evil.example?x", "https://evil.example/?x"},
	}
	for _, tt := range tests {
		got, err := valid(tt.match, tt.value).Normalize()
		if err != nil {
			t.Errorf("%s %q: %v", tt.match, tt.value, err)
			continue
		}
		if got.Value != tt.want {
			t.Errorf("%s %q normalized to %q, want %q", tt.match, tt.value, got.Value, tt.want)
		}
	}
}

func TestNormalizeRefuses(t *testing.T) {
	long := strings.Repeat("x", MaxReasonLength+1)
	tests := []struct {
		name  string
		rule  Rule
		field string
		want  string
	}{
		{"unknown match", Rule{Match: "regex", Value: "x", Action: verdict.RuleBlock, Reason: "r", CreatedBy: "b"}, "match", "not domain, host or url-prefix"},
		{"unknown action", Rule{Match: MatchHost, Value: "x.example", Action: "deny", Reason: "r", CreatedBy: "b"}, "action", "not block, warn, allow or reported"},
		{"empty value", valid(MatchDomain, ""), "value", "is required"},
		{"domain ip", valid(MatchDomain, "192.0.2.1"), "value", "use a host rule"},
		{"domain ipv6", valid(MatchDomain, "[::1]"), "value", "use a host rule"},
		{"domain numeric", valid(MatchDomain, "0x7f.1"), "value", "use a host rule"},
		{"domain suffix", valid(MatchDomain, "co.id"), "value", "public suffix"},
		{"domain private suffix", valid(MatchDomain, "github.io"), "value", "public suffix"},
		{"domain tld", valid(MatchDomain, "com"), "value", "public suffix"},
		{"domain above a private suffix", valid(MatchDomain, "amazonaws.com"), "value",
			`"amazonaws.com" sits above the public suffix "s3.amazonaws.com", under which anyone can register names; write the registrable domain you mean (for example name.s3.amazonaws.com), or use a host rule for amazonaws.com alone`},
		{"domain above a wildcard suffix", valid(MatchDomain, "Compute.AmazonAWS.com."), "value", `"compute.amazonaws.com" sits above the public suffix "*.compute.amazonaws.com"`},
		{"domain above a suffix two down", valid(MatchDomain, "windows.net"), "value", `sits above the public suffix "servicebus.windows.net"`},
		{"domain unknown tld", valid(MatchDomain, "evil.notatld"), "value", "known top-level domain"},
		{"domain url", valid(MatchDomain, "https://evil.example/"), "value", "is a URL"},
		{"domain path", valid(MatchDomain, "evil.example/x"), "value", "has a path"},
		{"domain wildcard", valid(MatchDomain, "*.evil.example"), "value", "wildcard"},
		{"domain user", valid(MatchDomain, "a@evil.example"), "value", "user part"},
		{"domain bad", valid(MatchDomain, "ev il.example"), "value", "not a valid host name"},
		{"domain hyphen", valid(MatchDomain, "-evil.example"), "value", "not a valid host name"},
		{"host port", valid(MatchHost, "evil.example:8080"), "value", "has a port"},
		{"host zone", valid(MatchHost, "fe80::1%eth0"), "value", "not a valid host name or IP address"},
		{"prefix no scheme", valid(MatchURLPrefix, "evil.example/x"), "value", "absolute http or https"},
		{"prefix ftp", valid(MatchURLPrefix, "ftp://evil.example/"), "value", "absolute http or https"},
		{"prefix user", valid(MatchURLPrefix, "https://u@evil.example/"), "value", "user part"},
		{"prefix fragment", valid(MatchURLPrefix, "https://evil.example/#x"), "value", "fragment"},
		{"prefix port", valid(MatchURLPrefix, "https://evil.example:0/"), "value", "port"},
		{"prefix no host", valid(MatchURLPrefix, "https:///x"), "value", "no-host"},
		{"prefix backslash", valid(MatchURLPrefix, "https://evil.example\\@ok.example/"), "value", "malformed"},
		{"prefix long", valid(MatchURLPrefix, "https://evil.example/"+strings.Repeat("a", MaxValueLength)), "value", "at most"},
		{"no reason", Rule{Match: MatchHost, Value: "x.example", Action: verdict.RuleBlock, Reason: "  ", CreatedBy: "b"}, "reason", "is required"},
		{"long reason", Rule{Match: MatchHost, Value: "x.example", Action: verdict.RuleBlock, Reason: long, CreatedBy: "b"}, "reason", "at most 500"},
		{"reason newline", Rule{Match: MatchHost, Value: "x.example", Action: verdict.RuleBlock, Reason: "a\nb", CreatedBy: "b"}, "reason", "control character"},
		{"reason bidi", Rule{Match: MatchHost, Value: "x.example", Action: verdict.RuleBlock, Reason: "a\u202eb", CreatedBy: "b"}, "reason", "control character"},
		{"bad utf8", Rule{Match: MatchHost, Value: "x.example", Action: verdict.RuleBlock, Reason: "r", CreatedBy: "\xff"}, "created_by", "UTF-8"},
		{"note escape", Rule{Match: MatchHost, Value: "x.example", Action: verdict.RuleBlock, Reason: "r", CreatedBy: "ana\x1b[2J"}, "created_by", "control character"},
		{"long note", Rule{Match: MatchHost, Value: "x.example", Action: verdict.RuleBlock, Reason: "r", CreatedBy: strings.Repeat("a", MaxByLength+1)}, "created_by", "at most 100"},
		{"author newline", Rule{Match: MatchHost, Value: "x.example", Action: verdict.RuleBlock, Reason: "r", Author: "a\nb"}, "author", "control character"},
	}
	for _, tt := range tests {
		_, err := tt.rule.Normalize()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Normalize() = %v, want a %s error with %q", tt.name, err, tt.field, tt.want)
		}
	}
}

func TestPrepare(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	r := valid(MatchDomain, "Evil.Example.com")
	r.ID = "chosen-by-caller"
	r.ExpiresAt = now.Add(time.Hour)
	got, err := Prepare(r, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ID) != 16 || got.ID == r.ID || !got.CreatedAt.Equal(now) || got.CreatedAt.Location() != time.UTC || got.Value != "evil.example.com" {
		t.Errorf("Prepare gave %+v", got)
	}
	if other, _ := Prepare(r, now); other.ID == got.ID {
		t.Error("two prepared rules share an ID")
	}
	anonymous := r
	anonymous.Author = " "
	if _, err := Prepare(anonymous, now); err == nil || !strings.Contains(err.Error(), "rule author: is required") {
		t.Errorf("Prepare without an author: %v", err)
	}
	unnoted := r
	unnoted.CreatedBy = ""
	if got, err := Prepare(unnoted, now); err != nil || got.Author != "secops" || got.CreatedBy != "" {
		t.Errorf("Prepare without a note: %+v, %v", got, err)
	}
	r.ExpiresAt = now
	if _, err := Prepare(r, now); err == nil || !strings.Contains(err.Error(), "not in the future") {
		t.Errorf("Prepare with ExpiresAt = now: %v", err)
	}
}

func TestRemovalCheck(t *testing.T) {
	got, err := Removal{Author: " secops ", Note: " ana ", Why: " false positive "}.Check()
	if err != nil || got != (Removal{Author: "secops", Note: "ana", Why: "false positive"}) {
		t.Errorf("Check = %+v, %v", got, err)
	}
	if got, err := (Removal{Author: "secops", Why: "x"}).Check(); err != nil || got.Note != "" {
		t.Errorf("without a note: %+v, %v", got, err)
	}
	refused := map[string]Removal{
		"rule author: is required":  {Note: "ana", Why: "x"},
		"rule why: is required":     {Author: "secops", Note: "ana"},
		"rule by: has the control":  {Author: "secops", Note: "ana\r\nsecops", Why: "x"},
		"rule why: has the control": {Author: "secops", Why: "a\u2028b"},
	}
	for want, r := range refused {
		if _, err := r.Check(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check(%+v) = %v, want %q", r, err, want)
		}
	}
}

// A change written before changes had an author reads with its by as the
// note, and no author.
func TestChangeReadsEntriesWithoutAuthor(t *testing.T) {
	const old = `{"revision":7,"op":"remove","rule":{"id":"0123456789abcdef","match":"domain","value":"promo-palsu.com",` +
		`"action":"block","reason":"phishing","created_by":"alice","created_at":"2025-01-02T03:04:05Z"},"by":"bob","why":"selesai","time":"2025-01-03T00:00:00Z"}`
	var c Change
	if err := json.Unmarshal([]byte(old), &c); err != nil {
		t.Fatal(err)
	}
	if c.Revision != 7 || c.Op != OpRemove || c.Author != "" || c.Note != "bob" || c.Why != "selesai" ||
		c.Rule.Value != "promo-palsu.com" || c.Rule.CreatedBy != "alice" || c.Rule.Author != "" || c.Time.IsZero() {
		t.Errorf("read %+v", c)
	}
	written, err := json.Marshal(c)
	if err != nil || strings.Contains(string(written), `"by"`) || !strings.Contains(string(written), `"note":"bob"`) {
		t.Errorf("written again as %s, %v", written, err)
	}
}

func TestParseExpiresIn(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{in: "", want: 0},
		{in: "0", want: 0},
		{in: "90m", want: 90 * time.Minute},
		{in: " 12h30m ", want: 12*time.Hour + 30*time.Minute},
		{in: "7d", want: 7 * 24 * time.Hour},
		{in: "366d", want: MaxExpiresIn},
		{in: "367d", err: "more than 366 days"},
		{in: "9000h", err: "more than 366 days"},
		{in: "-1h", err: "not positive"},
		{in: "0s", err: "not positive"},
		{in: "1.5d", err: "not a duration"},
		{in: "soon", err: "not a duration"},
		{in: "d", err: "not a duration"},
	}
	for _, tt := range tests {
		got, err := ParseExpiresIn(tt.in)
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("ParseExpiresIn(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseExpiresIn(%q) = %v, %v; want an error with %q", tt.in, got, err, tt.err)
		}
	}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	if got := ExpiresAfter(now, 0); !got.IsZero() {
		t.Errorf("ExpiresAfter(now, 0) = %v, want never", got)
	}
	if got := ExpiresAfter(now, time.Hour); !got.Equal(now.Add(time.Hour)) {
		t.Errorf("ExpiresAfter(now, 1h) = %v", got)
	}
}
