package verdict_test

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkDecide measures the decision on typical links.
func BenchmarkDecide(b *testing.B) {
	p := testPolicy(b)
	links := map[string]string{
		"official":  "https://www.blibli.com/p/kaos-polos-pria/ps--ABC-60012-00001?ds=ABC-60012-00001-00001",
		"upgrade":   "http://www.blibli.com/promo",
		"external":  "https://toko-sepatu.example/produk/sepatu-lari?ref=chat",
		"lookalike": "https://xn--blbli-0sa.com/login",
		"shortener": "https://bit.ly/3abcdef",
		"invalid":   "javascript:alert(1)",
	}
	for name, link := range links {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Decide(link)
			}
		})
	}
}

// BenchmarkDecideURLLength shows how the decision's cost grows with the
// length of the URL.
func BenchmarkDecideURLLength(b *testing.B) {
	p := testPolicy(b)
	for _, n := range []int{100, 1000, 8000} {
		link := "https://toko-sepatu.example/" + strings.Repeat("a", n-len("https://toko-sepatu.example/"))
		b.Run(fmt.Sprintf("bytes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(link)))
			for b.Loop() {
				p.Decide(link)
			}
		})
	}
}
