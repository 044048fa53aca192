package verdict_test

import (
	"net/url"
	"testing"
)

// FuzzDecide tries to break the one invariant: whatever the input, a
// redirect goes only to an https URL on an official host. It decides the
// input both as a link and as the query string of a /go request.
func FuzzDecide(f *testing.F) {
	for _, s := range []string{
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
		f.Add(s)
	}
	p := testPolicy(f)
	f.Fuzz(func(t *testing.T, raw string) {
		checkInvariant(t, raw, p.Decide(raw))
		checkInvariant(t, raw, p.DecideQuery(raw))
	})
}
