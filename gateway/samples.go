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
	destination := func(page string, status int) *Page {
		return &Page{
			Page: page, Status: status, HomeURL: g.homeURL,
			Site: "xn--blbli-vua.example", SiteUnicode: "blíbli.example",
			Host: "promo.xn--blbli-vua.example", HostUnicode: "promo.blíbli.example",
			URL:        "https://promo.blíbli.example/voucher?kode=123",
			Target:     "https://promo.xn--blbli-vua.example/voucher?kode=123",
			Imitates:   "blibli.com",
			RuleReason: "Dipakai dalam penipuan voucher palsu.",
		}
	}
	warn := func(reasons ...verdict.Reason) *Page {
		p := destination(pageWarn, http.StatusOK)
		p.ContinueURL = p.Target
		p.Reasons = stringsOf(reasons)
		return p
	}
	block := func(threats []verdict.Threat, ruleReason string) *Page {
		p := destination(pageBlock, http.StatusForbidden)
		p.Threats, p.RuleReason = stringsOf(threats), ruleReason
		return p
	}
	for _, r := range verdict.Reasons {
		samples = append(samples, warn(r))
	}
	samples = append(samples, warn(verdict.Reasons...))
	for _, t := range verdict.Threats {
		samples = append(samples, block([]verdict.Threat{t}, ""))
	}
	samples = append(samples, block(verdict.Threats, ""), block(nil, "Dipakai dalam penipuan voucher palsu."))
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
			return fmt.Errorf("page %s (reasons %v, threats %v, problem %q, status %d): %w", p.Page, p.Reasons, p.Threats, p.Problem, p.Status, err)
		}
	}
	return nil
}
