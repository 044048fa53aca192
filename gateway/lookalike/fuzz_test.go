package lookalike

import (
	"hash/fnv"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"

	"github.com/blibli/safelink/gateway/weburl"
)

// FuzzImitates checks the lookalike check on the host of any link: it never
// panics, names only an official registrable domain, and its answer does
// not change when an unrelated label is put in front of a host that has a
// name besides its public suffix, nor when the name is respelt with other
// characters of the same skeleton.
func FuzzImitates(f *testing.F) {
	for _, s := range []string{
		"https://blibli.com.evil.example/", "https://blíbli.com/", "https://xn--blbli-0sa.com/", "https://bIibIi.co.id/",
		"https://b1ibli-promo.example/", "https://www.bliblli.com/", "https://blibli-official.github.io/",
		"https://xn--80ak6aa92e.com/", "https://ｂｌｉｂｌｉ.example/", "https://tokopedia.com/", "https://co.id/",
		"https://bꓲⲓbꓲⲓ.com/", "https://ᏴᏞᎥᏴᏞᎥ.example/", "https://gdn-commerce-promo.example/",
	} {
		f.Add(s)
	}
	official := []string{"blibli.com", "www.blibli.com", "blibli.co.id", "gdn-commerce.com", "tiket.com"}
	d := New(official)
	alike := lookalikes()
	f.Fuzz(func(t *testing.T, link string) {
		u, err := weburl.Parse(link)
		if err != nil || u.IP.IsValid() {
			return
		}
		got, ok := d.Imitates(u.Host)
		if ok && !slices.Contains(official, got) {
			t.Fatalf("Imitates(%q) = %q, not an official registrable domain", u.Host, got)
		}
		suffix, _ := publicsuffix.PublicSuffix(u.Host)
		if suffix == u.Host {
			return
		}
		if again, okAgain := d.Imitates("zz." + u.Host); again != got || okAgain != ok {
			t.Fatalf("Imitates(%q) = %q, %v but Imitates(zz.%[1]s) = %q, %v", u.Host, got, ok, again, okAgain)
		}
		respelt, same := alike.respell(u.Host, suffix, link)
		if !same {
			return
		}
		if again, okAgain := d.Imitates(respelt); again != got || okAgain != ok {
			t.Fatalf("Imitates(%q) = %q, %v but Imitates(%q), the same skeleton, = %q, %v", u.Host, got, ok, respelt, again, okAgain)
		}
	})
}

// FuzzSkeleton checks that a skeleton is its own skeleton, for any string.
func FuzzSkeleton(f *testing.F) {
	for _, s := range []string{"blibli", "bIibIi", "bⲓbꓲⲓ", "ᏴᏞᎥᏴᏞᎥ", "𝐛𝐥𝐢𝐛𝐥𝐢", "ｂｌｉｂｌｉ", "modern", "ǉ", "ﬃ", "\u0345\u0301", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		skel := skeleton(s)
		if again := skeleton(skel); again != skel {
			t.Fatalf("skeleton(%+q) = %+q, but skeleton(%+[2]q) = %+q", s, skel, again)
		}
	})
}

// lookalikeSets groups the code points of the skeleton table and ASCII by
// their skeleton: the characters of each group look alike.
type lookalikeSets map[string][]rune

func lookalikes() lookalikeSets {
	sets := lookalikeSets{}
	add := func(r rune) {
		if r != '.' {
			sets[skeleton(string(r))] = append(sets[skeleton(string(r))], r)
		}
	}
	for r := range rune(utf8.RuneSelf) {
		add(r)
	}
	for _, r := range skeletonRunes {
		add(r)
	}
	return sets
}

// respell writes the name of host (in front of its public suffix, each
// label in Unicode) with other characters of the same skeleton, chosen by a
// hash of seed. It reports whether the result keeps the suffix and has the
// same skeleton label by label, as the detector sees it.
func (sets lookalikeSets) respell(host, suffix, seed string) (string, bool) {
	h := fnv.New64a()
	h.Write([]byte(seed))
	pick := h.Sum64()
	labels := strings.Split(strings.TrimSuffix(host, "."+suffix), ".")
	for i, label := range labels {
		if strings.HasPrefix(label, "xn--") {
			u, err := idna.Punycode.ToUnicode(label)
			if err != nil {
				continue
			}
			label = u
		}
		var b strings.Builder
		for _, r := range label {
			set := sets[skeleton(string(r))]
			if len(set) == 0 {
				b.WriteRune(r)
				continue
			}
			b.WriteRune(set[pick%uint64(len(set))])
			pick = pick*6364136223846793005 + 1442695040888963407
		}
		if strings.HasPrefix(b.String(), "xn--") || skeleton(b.String()) != skeleton(label) {
			return "", false
		}
		labels[i] = b.String()
	}
	respelt := strings.Join(labels, ".") + "." + suffix
	s, _ := publicsuffix.PublicSuffix(respelt)
	return respelt, s == suffix
}
