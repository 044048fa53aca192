package allowlist

import (
	"strings"
	"testing"
)

// FuzzParseFile checks that the parser never panics, that every entry it
// returns is valid and unique, and that every error names a real line.
func FuzzParseFile(f *testing.F) {
	f.Add("blibli.com\n# comment\nseller.blibli.com no-https-upgrade\n")
	f.Add("github.io\n10.0.0.1\nhttps://x.com/\n*.x.com\nbücher.example\n")
	f.Add("a.com\na.com\n\n\n  B.COM.  # x\n")
	f.Fuzz(func(t *testing.T, text string) {
		entries, errs := ParseFile("official.txt", strings.NewReader(text), OptionNoUpgrade)
		lines := strings.Count(text, "\n") + 1
		seen := map[string]bool{}
		for _, e := range entries {
			if seen[e.Domain] {
				t.Fatalf("duplicate entry %q", e.Domain)
			}
			seen[e.Domain] = true
			if again, err := NormalizeDomain(e.Domain); err != nil || again != e.Domain {
				t.Fatalf("entry %q does not normalize to itself: %q, %v", e.Domain, again, err)
			}
			if e.Line < 1 || e.Line > lines {
				t.Fatalf("entry %q on line %d of %d", e.Domain, e.Line, lines)
			}
		}
		for _, e := range errs {
			if e.Line < 1 || e.Line > lines+1 || e.File != "official.txt" {
				t.Fatalf("error %v names no line of the %d", e, lines)
			}
		}
	})
}
