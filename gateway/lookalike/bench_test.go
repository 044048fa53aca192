package lookalike

import "testing"

// BenchmarkImitates measures the lookalike check on the kinds of host a
// click brings: plain ASCII names that imitate nothing (the common case), a
// brand inside another name, and punycode names with and without a match.
func BenchmarkImitates(b *testing.B) {
	d := New([]string{"blibli.com", "blibli.co.id", "tiket.com", "gdn-commerce.com"})
	hosts := map[string]string{
		"ascii":          "www.tokopedia.com",
		"ascii-long":     "cdn-assets.media-commerce-platform.example",
		"ascii-brand":    "blibli-promo.example",
		"punycode-brand": "xn--blbli-0sa.com",
		"punycode-other": "xn--80ak6aa92e.com",
	}
	for name, host := range hosts {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d.Imitates(host)
			}
		})
	}
}
