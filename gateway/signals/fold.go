package signals

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fold returns r as patterns spell it: lowercase, with accented, fullwidth
// and other compatibility forms of Latin letters and digits as plain ASCII
// (é, Ｏ and ⓞ read as e, o and o).
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if d := norm.NFKD.Properties(buf[:n]).Decomposition(); len(d) > 0 && isASCIIAlnum(d[0]) {
		return unicode.ToLower(rune(d[0]))
	}
	return unicode.ToLower(r)
}

// asciiFolded maps an ASCII letter or digit to itself folded, and every
// other ASCII byte to 0.
var asciiFolded = func() (t [utf8.RuneSelf]byte) {
	for b := range byte(utf8.RuneSelf) {
		if isASCIIAlnum(b) {
			t[b] = byte(fold(rune(b)))
		}
	}
	return t
}()

func isASCIIAlnum(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// leet maps the digits and signs people write for letters to those
// letters: 0TP is otp, p@ssw0rd is password.
func leet(r rune) rune {
	switch r {
	case '0':
		return 'o'
	case '1':
		return 'i'
	case '3':
		return 'e'
	case '4', '@':
		return 'a'
	case '5':
		return 's'
	case '7':
		return 't'
	case '8':
		return 'b'
	}
	return r
}

// isWordRune reports whether r belongs to a word: a letter or a digit.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isInvisible reports whether r is a mark or a format character: part of
// the word it stands in (an accent, a keycap, a variation selector, a
// zero-width space), never a break between words.
func isInvisible(r rune) bool {
	return r >= utf8.RuneSelf && unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf)
}

// isApostrophe reports whether r is an apostrophe, which joins the letters
// around it (don't, wa'alaikumsalam).
func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '`'
}
