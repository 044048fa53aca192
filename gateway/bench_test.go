package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	safelink "github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/allowlist"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/pages"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/fakeshortener"
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

// BenchmarkDecideWithRules shows what the emergency rules cost a decision,
// from 10 rules to 10,000.
func BenchmarkDecideWithRules(b *testing.B) {
	lists, err := allowlist.Load(safelink.Allowlist())
	if err != nil {
		b.Fatal(err)
	}
	policy, err := click.NewPolicy(lists, "https://link.blibli.com")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10, 1000, 10000} {
		set := make([]rules.Rule, n)
		for i := range set {
			set[i] = rules.Rule{ID: fmt.Sprint(i), Match: rules.MatchDomain, Value: fmt.Sprintf("kampanye-%d.com", i), Action: verdict.RuleBlock, Reason: "r", CreatedBy: "b"}
		}
		checks := &click.Service{Rules: rules.NewRuleSet(set)}
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				checks.Decide(context.Background(), policy, "https://toko-sepatu.id/produk/sepatu-lari", click.Origin{Signature: verdict.Unsigned})
			}
		})
	}
}

// BenchmarkRenderWarning measures rendering a warning page that is not in
// the cache of rendered pages: each click on a link nobody tapped before.
func BenchmarkRenderWarning(b *testing.B) {
	pageSet, err := pages.Parse(safelink.Templates())
	if err != nil {
		b.Fatal(err)
	}
	v := gateway.Variants("https://www.blibli.com/")
	var p *gateway.Page
	for _, variant := range v {
		if variant.Name == "warn-lookalike" {
			p = variant.Page
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := pageSet.Render(io.Discard, p.Page, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRewriteAPI measures the rewrite API on a 1 KiB chat message with
// three links, as the load benchmark sends it: the links of chat messages
// repeat, so their decisions come from the bundle's cache.
func BenchmarkRewriteAPI(b *testing.B) {
	benchmarkRewriteAPI(b, "Halo kak, barangnya masih ada? Kemarin aku lihat di https://www.blibli.com/p/sepatu-lari-pria/ps--ABC-60012-00001 harganya beda. "+
		"Temanku kirim bit.ly/promo-sepatu-murah katanya diskon 50%, resmi bukan kak? Kalau mau nego bisa lewat wa.me/6281234567890 katanya. "+
		strings.Repeat("Terima kasih banyak kak, ditunggu kabarnya ya. ", 16))
}

// BenchmarkRewriteAPIMostLinks measures the rewrite API on the message of
// 64 KiB, its limit, with the most links: 13,107 names of 4 bytes, each
// found, decided and answered.
func BenchmarkRewriteAPIMostLinks(b *testing.B) {
	benchmarkRewriteAPI(b, strings.Repeat("a.co ", (64<<10)/5))
}

// benchmarkRewriteAPI measures the rewrite API on the message msg and
// reports the size of its answer.
func benchmarkRewriteAPI(b *testing.B, msg string) {
	h := rewriteGateway(b, false, 1_000_000).Internal()
	body, err := json.Marshal(map[string]string{"text": msg})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var answer int
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8081/api/v1/rewrite", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+apiToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("rewrite: %d %.200s", rec.Code, rec.Body)
		}
		answer = rec.Body.Len()
	}
	b.ReportMetric(float64(answer), "answer-bytes")
}

// BenchmarkGoCachedExpansion measures a person's click on a shortener link
// whose expansion is remembered, beside a click on the destination itself.
func BenchmarkGoCachedExpansion(b *testing.B) {
	w := fakeshortener.NewWorld(b)
	g := newExpandingGateway(b, w)
	h := g.Public()
	for name, link := range map[string]string{
		"destination":   "https://" + fakeshortener.Destination + "/klaim",
		"via-shortener": w.Chain("bench", 2, "https://"+fakeshortener.Destination+"/klaim"),
	} {
		req := httptest.NewRequest(http.MethodGet, goURL(link), nil)
		h.ServeHTTP(httptest.NewRecorder(), req)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
