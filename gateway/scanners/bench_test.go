package scanners_test

import (
	"testing"

	"github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/scanners"
)

// BenchmarkMatch measures the embedded patterns on a person's browser,
// which matches none and so reads every pattern, and on a preview bot.
func BenchmarkMatch(b *testing.B) {
	l, err := scanners.Load(safelink.Allowlist())
	if err != nil {
		b.Fatal(err)
	}
	for name, ua := range map[string]string{
		"person":   "Mozilla/5.0 (Linux; Android 13; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
		"whatsapp": "WhatsApp/2.23.20.0 A",
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				l.Match(ua)
			}
		})
	}
}
