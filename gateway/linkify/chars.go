package linkify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Classes of ASCII bytes, as bits of asciiClass.
const (
	alnumByte  = 1 << iota // a letter or a digit
	letterByte             // a letter
	hostByte               // in a host name: a letter, a digit, '-', '_' or '.'
	schemeByte             // in a scheme: a letter, a digit, '+', '-' or '.'
	localByte              // in the local part of an e-mail address
	pathByte               // in a path, query or fragment
	midByte                // in a path only before another path character
)

// asciiClass holds the classes of each ASCII byte.
var asciiClass = func() (class [utf8.RuneSelf]uint8) {
	set := func(bits uint8, chars string) {
		for i := 0; i < len(chars); i++ {
			class[chars[i]] |= bits
		}
	}
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	const digits = "0123456789"
	set(alnumByte|hostByte|schemeByte|localByte|pathByte, letters+digits)
	set(letterByte, letters)
	set(hostByte, "-_.")
	set(schemeByte, "+-.")
	set(localByte, "._%+-")
	// The characters RFC 3987 allows in a path, query and fragment, and the
	// backslash browsers read as a slash; the sub-delimiters and the
	// punctuation that ends sentences as often as links count only in the
	// middle of a link, as xurls counts them.
	set(pathByte, `-._~%!$&'*+,;=:@/?#\`)
	set(midByte, `.,:;!?'*@\`)
	return class
}()

// is reports whether the byte c is ASCII and in one of the classes bits.
func is(c byte, bits uint8) bool {
	return c < utf8.RuneSelf && asciiClass[c]&bits != 0
}

// isASCIIAlnum reports whether c is an ASCII letter or digit.
func isASCIIAlnum(c byte) bool { return is(c, alnumByte) }

// isASCIIWordByte reports whether c ends no word: an ASCII letter, digit
// or underscore.
func isASCIIWordByte(c byte) bool { return is(c, alnumByte) || c == '_' }

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// runeAt decodes the rune at w[i:].
func runeAt(w string, i int) (rune, int) {
	if c := w[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(w[i:])
}

// wordRuneLen returns the length of the character that starts s if it
// continues a word, so that a top-level domain cannot end before it (a
// letter, mark, digit or underscore), and otherwise 0.
func wordRuneLen(s string) int {
	if s == "" {
		return 0
	}
	if c := s[0]; c < utf8.RuneSelf {
		if isASCIIWordByte(c) {
			return 1
		}
		return 0
	}
	r, size := utf8.DecodeRuneInString(s)
	if unicode.In(r, unicode.L, unicode.M, unicode.N) {
		return size
	}
	return 0
}

// isLabelCore reports whether r gives a label of a host name its content:
// a letter or a digit.
func isLabelCore(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r))
	}
	return unicode.In(r, unicode.L, unicode.N)
}

// isHostRune reports whether r may stand in a host name as a phone reads
// it: a letter or digit, a mark, '-' or '_', a dot (see isDot), or an
// invisible format character (category Cf), which a linkifier takes into
// the name and a browser then drops ("evil\u200b.com" opens evil.com).
func isHostRune(r rune) bool {
	if r < utf8.RuneSelf {
		return is(byte(r), hostByte)
	}
	return isDot(r) || unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.Cf)
}

// isDot reports whether r separates the labels of a host name: the full
// stop and the ideographic, full-width and half-width full stops, which
// browsers read as one.
func isDot(r rune) bool {
	return r == '.' || r == '\u3002' || r == '\uff0e' || r == '\uff61'
}

// isPathRune reports whether the non-ASCII rune r may stand in a path,
// query or fragment: anything but a control or format character, a
// noncharacter, or the replacement character of broken text.
func isPathRune(r rune) bool {
	return r != utf8.RuneError && !unicode.In(r, unicode.Cc, unicode.Cf, unicode.Noncharacter_Code_Point)
}

// endsSentence reports whether the non-ASCII rune r, at the end of a link,
// belongs to the sentence instead: a symbol (emoji, arrows, currency
// signs), a punctuation mark (curly quotes, closing brackets, ellipsis), an
// emoji presentation selector, an enclosing keycap mark, or an invisible
// format character.
func endsSentence(r rune) bool {
	return unicode.In(r, unicode.S, unicode.P, unicode.Me, unicode.Variation_Selector, unicode.Cf)
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII letter case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// hasSuffixFold is strings.HasSuffix ignoring ASCII letter case.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// hasFormat reports whether s holds an invisible format character.
func hasFormat(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}
