package allowlist

import (
	"testing"

	safelink "github.com/blibli/safelink"
)

// BenchmarkLookup measures the three questions a click asks of the
// embedded allowlist, on an official host, an external one and a deep
// external one whose parent domains are all walked.
func BenchmarkLookup(b *testing.B) {
	l, err := Load(safelink.Allowlist())
	if err != nil {
		b.Fatal(err)
	}
	for name, host := range map[string]string{
		"official": "www.blibli.com",
		"external": "toko-sepatu.id",
		"deep":     "a.b.c.toko-sepatu.co.id",
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				l.Official(host)
				l.Shortener(host)
				l.Messaging(host)
			}
		})
	}
}
