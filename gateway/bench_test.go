package gateway_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkGo measures the public handler on the answers of /go.
func BenchmarkGo(b *testing.B) {
	g := newSharedGateway(b, 100)
	h := g.Public()
	for name, link := range map[string]string{
		"redirect": "https://www.blibli.com/p/kaos-polos/ps--ABC-123",
		"warn":     "https://toko-sepatu.id/produk/sepatu-lari",
		"invalid":  "javascript:alert(1)",
	} {
		target := goURL(link)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			req := httptest.NewRequest(http.MethodGet, target, nil)
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
			}
		})
	}
}
