package gateway

import (
	"github.com/blibli/safelink/gateway/verdict"
)

// viaVariants are the pages of a click on a shortener link that the
// gateway expanded: a warning showing the links followed to the
// destination, a long chain of them, a block of the destination found, and
// the shortener warning when the destination could not be found.
func viaVariants(homeURL string) []Variant {
	warn := samplePage(pageWarn, homeURL, "https://promo-hadiah.xyz/klaim?kode=HADIAH2026", verdict.ReasonExternal)
	warn.Via = []string{"https://bit.ly/abc"}
	long := samplePage(pageWarn, homeURL, "http://promo-hadiah.xyz/klaim/"+"hadiah-spesial-akhir-tahun-untuk-kamu", verdict.ReasonExternal, verdict.ReasonInsecure)
	long.Via = []string{"https://bit.ly/abc", "https://tinyurl.com/hadiah-akhir-tahun-2026", "https://s.id/klaim-sekarang-juga", "https://t.co/Zx81kQ0pL2", "https://is.gd/vCx9aB"}
	block := samplePage(pageBlock, homeURL, "https://hadiah-gratis.example/klaim")
	block.Threats, block.Sources = []string{string(verdict.ThreatSocialEngineering)}, []string{string(verdict.SourceSafeBrowsing)}
	block.Via = []string{"https://bit.ly/abc"}
	unexpanded := samplePage(pageWarn, homeURL, reasonSampleURL[verdict.ReasonShortener], verdict.ReasonExternal, verdict.ReasonShortener, verdict.ReasonUnexpanded)
	return []Variant{
		{Name: "warn-via", Description: "warning for the destination a shortener link leads to", Page: warn},
		{Name: "warn-via-long", Description: "warning after five shortener hops", Page: long},
		{Name: "block-via", Description: "block of the destination a shortener link leads to", Page: block},
		{Name: "warn-shortener-unexpanded", Description: "shortener warning when its destination could not be checked", Page: unexpanded},
	}
}
