// Package lookalike finds domain names that imitate official ones: the brand
// written with confusable characters, misspelt by one or two letters, or
// placed inside another domain, as in blibli-promo.example or
// blibli.com.evil.example.
//
// Confusable characters are those of Unicode's confusables data (UTS #39),
// which skeleton_table.go holds; go generate writes it again from the copy
// of confusables.txt in internal/cmd/skeletongen.
package lookalike

import (
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// maxDistance is the largest edit distance between a label and a brand that
// still counts as imitation.
const maxDistance = 2

// minBrandLength is the shortest brand checked by edit distance; shorter
// brands are within two edits of too many honest names.
const minBrandLength = 5

// brand is an official registrable domain and the skeleton of its name
// without the public suffix and without hyphens ("blibli" for blibli.com).
type brand struct {
	domain   string
	skeleton string
}

// Detector reports which official domain a host imitates. It is immutable
// and safe for concurrent use.
type Detector struct {
	brands []brand
}

// New returns a Detector for the given official domains (ASCII, as in the
// allowlist). Subdomain entries contribute their registrable domain.
func New(officialDomains []string) *Detector {
	d := &Detector{}
	seen := map[string]bool{}
	for _, domain := range officialDomains {
		site, err := publicsuffix.EffectiveTLDPlusOne(domain)
		if err != nil || seen[site] {
			continue
		}
		seen[site] = true
		suffix, _ := publicsuffix.PublicSuffix(site)
		name := strings.TrimSuffix(site, "."+suffix)
		d.brands = append(d.brands, brand{domain: site, skeleton: strings.ReplaceAll(skeleton(name), "-", "")})
	}
	return d
}

// Imitates returns the official domain that host (lowercase ASCII, not
// itself official) imitates, if any. It looks at every label of host except
// its public suffix, in Unicode form, and at the parts of a label between
// hyphens.
func (d *Detector) Imitates(host string) (official string, ok bool) {
	if len(d.brands) == 0 {
		return "", false
	}
	name := host
	if suffix, _ := publicsuffix.PublicSuffix(host); suffix != host {
		name = strings.TrimSuffix(host, "."+suffix)
	}
	for label := range strings.SplitSeq(name, ".") {
		if b, ok := d.matchLabel(label); ok {
			return b.domain, true
		}
	}
	return "", false
}

// matchLabel compares the skeleton of one label, in Unicode form, with each
// brand: the brand inside it once hyphens are gone, or near the whole label
// or one of its parts between hyphens. It looks only at the skeleton, so
// two labels that look alike get the same answer.
func (d *Detector) matchLabel(label string) (brand, bool) {
	if strings.HasPrefix(label, "xn--") {
		if u, err := idna.Punycode.ToUnicode(label); err == nil {
			label = u
		}
	}
	skel := skeleton(label)
	joined := strings.ReplaceAll(skel, "-", "")
	for _, b := range d.brands {
		if strings.Contains(joined, b.skeleton) || d.near(joined, b) {
			return b, true
		}
		if len(joined) == len(skel) {
			continue // no hyphens: the one part is the whole label
		}
		for part := range strings.SplitSeq(skel, "-") {
			if d.near(part, b) {
				return b, true
			}
		}
	}
	return brand{}, false
}

func (d *Detector) near(s string, b brand) bool {
	return len(b.skeleton) >= minBrandLength && withinDistance(s, b.skeleton, maxDistance)
}
