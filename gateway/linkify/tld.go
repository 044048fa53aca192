package linkify

import (
	"strings"
	"unicode/utf8"

	"mvdan.cc/xurls/v2"
)

// mayHoldLink reports whether word has what every web link has: "://", or
// a dot followed by a top-level domain known to xurls. Most words of a chat
// message that hold a dot, "kak.Saya", "invoice.pdf", "Rp150.000" among
// them, have not, and skipping them saves the regular expression, whose
// cost is the same whether it finds a link or not.
func mayHoldLink(word string) bool {
	for i := 0; i < len(word); i++ {
		switch word[i] {
		case ':':
			if strings.HasPrefix(word[i+1:], "//") {
				return true
			}
		case '.':
			if startsWithTLD(word[i+1:]) {
				return true
			}
		}
	}
	return false
}

// startsWithTLD reports whether s starts with what xurls may read as a
// top-level domain: a punycode label, a non-ASCII character (xurls knows
// Unicode TLDs), or a run of ASCII letters, digits and underscores that is
// in its list of ASCII TLDs, in any letter case. The run ends where the
// regular expression's \b does; if a non-ASCII character ends it, the TLD
// may go on ("vermögensberater"), so the answer is yes.
func startsWithTLD(s string) bool {
	if hasPrefixFold(s, "xn--") {
		return true
	}
	var lower [maxLabelLen]byte
	n := 0
	for ; n < len(s) && isASCIIWordChar(s[n]); n++ {
		if n == maxLabelLen {
			return false
		}
		lower[n] = s[n] | 0x20 // lower-cases letters, keeps digits
	}
	return n < len(s) && s[n] >= utf8.RuneSelf || asciiTLDs[string(lower[:n])]
}

// isASCIIWordChar reports whether c is a word character of the regular
// expression's \b: an ASCII letter, digit or underscore.
func isASCIIWordChar(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '_'
}

// maxLabelLen is the length of the longest DNS label, and so of the longest
// top-level domain.
const maxLabelLen = 63

// asciiTLDs holds xurls' top-level domains, real and pseudo, that start with
// an ASCII character.
var asciiTLDs = func() map[string]bool {
	set := make(map[string]bool, len(xurls.TLDs)+len(xurls.PseudoTLDs))
	for _, list := range [][]string{xurls.TLDs, xurls.PseudoTLDs} {
		for _, tld := range list {
			if tld[0] < utf8.RuneSelf {
				set[tld] = true
			}
		}
	}
	return set
}()
