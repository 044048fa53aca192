package linkify

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/xurls/v2"
)

// candidates matches everything xurls reads as a URL, with or without a
// scheme, including e-mail addresses and bare IP addresses; classify keeps
// the web links among them.
var candidates = xurls.Relaxed()

// candidatesAt is candidates anchored at the start of the text. Where a
// text starts with a match, it finds the same match as candidates in half
// the time, as it does not try every pattern again at every byte.
var candidatesAt = compileLongest(`^(?:` + candidates.String() + `)`)

// webLinkAt matches an http or https URL at the start of a text only. Where
// a text starts with "http://" or "https://" no other pattern of candidates
// can match, so webLinkAt finds the same link there, an order of magnitude
// faster than candidatesAt.
var webLinkAt = mustCompileScheme(`^https?://`)

// compileLongest compiles expr for leftmost-longest matching, as xurls does.
func compileLongest(expr string) *regexp.Regexp {
	re := regexp.MustCompile(expr)
	re.Longest()
	return re
}

// mustCompileScheme returns xurls' expression for URLs whose scheme matches
// the regular expression scheme.
func mustCompileScheme(scheme string) *regexp.Regexp {
	re, err := xurls.StrictMatchingScheme(scheme)
	if err != nil {
		panic(err)
	}
	return re
}

// findCandidate returns the span of the first xurls match in word, or nil.
// As most words that hold a link start with it, it tries the anchored
// expressions first.
func findCandidate(word string) []int {
	if webSchemeLen(word) > 0 {
		if m := webLinkAt.FindStringIndex(word); m != nil {
			return m
		}
	}
	if m := candidatesAt.FindStringIndex(word); m != nil {
		return m
	}
	return candidates.FindStringIndex(word)
}

// trimEnd moves the end of the candidate word[s:e] back past characters
// that end the sentence rather than the link: non-ASCII symbols and
// punctuation (emoji, curly quotes, full-width stops: "cek
// blibli.com/promo🔥", "“https://x.com/a”"), and the ASCII punctuation they
// followed, which xurls itself never ends a link on ("x.com/a.🔥" gives
// "x.com/a").
func trimEnd(word string, s, e int) int {
	for e > s {
		r, size := utf8.DecodeLastRuneInString(word[s:e])
		if !belongsToSentence(r) && !strings.ContainsRune(midOnlyASCII, r) {
			break
		}
		e -= size
	}
	return e
}

// midOnlyASCII are the ASCII characters xurls takes inside a link but never
// at its end.
const midOnlyASCII = `.,:;!?'*@\`

// belongsToSentence reports whether r, at the end of a link, belongs to the
// sentence: a non-ASCII symbol (emoji, arrows, currency signs) or
// punctuation mark (curly quotes, closing brackets, ellipsis), an emoji
// presentation selector or an enclosing keycap mark.
func belongsToSentence(r rune) bool {
	return r >= utf8.RuneSelf &&
		unicode.In(r, unicode.S, unicode.P, unicode.Me, unicode.Variation_Selector)
}
