package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// FuzzParseConfusables checks the parser on any file: it never panics, and
// what it reads, written out again in the format of confusables.txt, reads
// back the same.
func FuzzParseConfusables(f *testing.F) {
	f.Add(header + "2C93 ;\t0131 ;\tMA\t# ( ⲓ → ı )\n0131 ;\t0069 ;\tMA\n006D ;\t0072 006E ;\tMA\n")
	f.Add(header + "0031 ;\t006C\n")
	f.Add("# Version: 1\n# Date: x\n10FFFF ; 0 ; MA # \n")
	f.Add("\uFEFF# Date: d\r\n# Version: v\r\n0041 ; 0061 0062 ; MA\r\n")
	f.Fuzz(func(t *testing.T, data string) {
		c, err := parseConfusables(strings.NewReader(data))
		if err != nil {
			return
		}
		again, err := parseConfusables(strings.NewReader(writeConfusables(c)))
		if err != nil {
			t.Fatalf("parseConfusables(%q) read %v, but not its own writing: %v", data, c, err)
		}
		if again.version != c.version || again.date != c.date || !maps.Equal(again.prototypes, c.prototypes) {
			t.Fatalf("parseConfusables(%q) = %v, written and read again %v", data, c, again)
		}
	})
}

// writeConfusables writes c in the format of confusables.txt.
func writeConfusables(c *confusables) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Date: %s\n# Version: %s\n", c.date, c.version)
	for _, r := range slices.Sorted(maps.Keys(c.prototypes)) {
		var hex []string
		for _, p := range c.prototypes[r] {
			hex = append(hex, fmt.Sprintf("%04X", p))
		}
		fmt.Fprintf(&b, "%04X ;\t%s ;\tMA\n", r, strings.Join(hex, " "))
	}
	return b.String()
}
