package verdict_test

import (
	"net/url"
	"testing"

	"github.com/blibli/safelink/gateway/verdict"
)

// FuzzDecide tries to break the one invariant: whatever the input and the
// facts of the click (except an allow rule), a redirect goes only to an
// https URL on an official host. It decides the input both as a link and as
// the query string of a /go request.
func FuzzDecide(f *testing.F) {
	for i, s := range []string{
		"https://www.blibli.com/p/x?a=b#c", "http://blibli.com:443/", "https://blibli.com.evil.example/",
		"https://www.blibli.com@evil.example/", "https://evil.example@www.blibli.com/",
		"https://www.blibli.com\\@evil.example/", "https:\\\\evil.example", "https://ｂｌｉｂｌｉ．ｃｏｍ/",
		"https://link.blibli.com/go?u=https%3A%2F%2Fevil.example%2F", "http://0x7f.1/", "javascript:alert(1)",
		"https://www.blibli.com%2F.evil.example/", "https://www.blibli.com%00.evil.example/",
		"https://www.blibli.com/..%2F..%2F@evil.example", "https://www.blibli.com:443@evil.example/",
		"https://www.blibli.com#@evil.example", "https://www.blibli.com\t.evil.example/",
		"u=https://www.blibli.com/&u=https://evil.example/",
		"u=" + url.QueryEscape("https://link.blibli.com/go?u=https://evil.example/"),
	} {
		f.Add(s, uint8(i))
	}
	p := testPolicy(f)
	f.Fuzz(func(t *testing.T, raw string, bits uint8) {
		facts := factsFrom(bits)
		checkInvariant(t, raw, p.Decide(raw).Apply(facts))
		v, _ := decideQuery(p, raw)
		checkInvariant(t, raw, v.Apply(facts))
	})
}

// factsFrom spreads the bits of b over the facts a click can bring, short
// of an allow rule (which by design lets a non-official host through).
func factsFrom(b uint8) verdict.Facts {
	f := verdict.Facts{
		Signature:         []verdict.Signature{verdict.Unsigned, verdict.SignedValid, verdict.Tampered, verdict.Unsigned}[b&3],
		RequireSignature:  b&4 != 0,
		ThreatsUnverified: b&8 != 0,
	}
	switch (b >> 4) & 3 {
	case 1:
		f.Rule = &verdict.Rule{Action: verdict.RuleWarn}
	case 2:
		f.Rule = &verdict.Rule{Action: verdict.RuleBlock}
	}
	if b&64 != 0 {
		f.Threats = []verdict.Threat{verdict.ThreatMalware}
	}
	return f
}
