package gateway

import (
	"fmt"
	"io"
	"net/http"

	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/verdict/weburl"
)

// samplePages returns page data for every variant the gateway can render:
// a warning with each reason, the invalid page with each problem, and the
// error page for each status it uses.
func (g *Gateway) samplePages() []*Page {
	var samples []*Page
	warn := func(reasons ...verdict.Reason) *Page {
		p := &Page{
			Page: pageWarn, Status: http.StatusOK, HomeURL: g.homeURL,
			Site: "xn--blbli-vua.example", SiteUnicode: "blíbli.example",
			Host: "promo.xn--blbli-vua.example", HostUnicode: "promo.blíbli.example",
			URL:         "https://promo.blíbli.example/voucher?kode=123",
			ContinueURL: "https://promo.xn--blbli-vua.example/voucher?kode=123",
			Imitates:    "blibli.com",
		}
		for _, r := range reasons {
			p.Reasons = append(p.Reasons, string(r))
		}
		return p
	}
	for _, r := range verdict.Reasons {
		samples = append(samples, warn(r))
	}
	samples = append(samples, warn(verdict.Reasons...))
	for _, p := range weburl.Problems {
		samples = append(samples, &Page{Page: pageInvalid, Status: http.StatusBadRequest, HomeURL: g.homeURL, Problem: string(p)})
	}
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusInternalServerError} {
		samples = append(samples, &Page{Page: pageError, Status: status, HomeURL: g.homeURL})
	}
	return samples
}

// checkPages renders every sample page, so that a template that fails on
// some variant stops the start instead of a user's click.
func (g *Gateway) checkPages() error {
	for _, p := range g.samplePages() {
		if err := g.pages.Render(io.Discard, p.Page, p); err != nil {
			return fmt.Errorf("page %s (reasons %v, problem %q, status %d): %w", p.Page, p.Reasons, p.Problem, p.Status, err)
		}
	}
	return nil
}
