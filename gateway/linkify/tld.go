package linkify

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
	"mvdan.cc/xurls/v2"
)

// tlds holds the top-level domains a link may end in, in lower case: xurls'
// lists of the real ones (IANA's root zone and the public suffix list) and
// of the pseudo ones (onion, i2p, local, …).
var tlds = func() map[string]bool {
	set := make(map[string]bool, len(xurls.TLDs)+len(xurls.PseudoTLDs))
	for _, list := range [][]string{xurls.TLDs, xurls.PseudoTLDs} {
		for _, tld := range list {
			set[strings.ToLower(tld)] = true
		}
	}
	return set
}()

// maxTLDBytes bounds the length of a top-level domain: a DNS label of 63
// characters of up to 4 bytes each.
const maxTLDBytes = 63 * utf8.UTFMax

// tldEnd returns the end of the top-level domain that starts the label at
// w[i:], or -1. A top-level domain is a punycode label ("xn--p1ai") or a
// run of word characters (letters, marks, digits, underscores: what a word
// boundary ends) that is in tlds, compared in lower case and with
// full-width letters read as ASCII ("ＣＯＭ").
func tldEnd(w string, i int) int {
	if hasPrefixFold(w[i:], "xn--") {
		e := i + len("xn--")
		for e < len(w) && (isASCIIAlnum(w[e]) || w[e] == '-') {
			e++
		}
		if e == i+len("xn--") || wordRuneLen(w[e:]) > 0 {
			return -1
		}
		return e
	}
	e := i
	for n := wordRuneLen(w[e:]); n > 0; n = wordRuneLen(w[e:]) {
		e += n
	}
	if e == i || !isTLD(w[i:e]) {
		return -1
	}
	return e
}

// isTLD reports whether the run of word characters s is a top-level domain.
func isTLD(s string) bool {
	if len(s) < 2 || len(s) > maxTLDBytes || isDigit(s[0]) {
		return false
	}
	var lower [maxTLDBytes]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return tlds[strings.ToLower(width.Fold.String(s))]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return tlds[string(lower[:len(s)])]
}
