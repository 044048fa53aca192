package threaturl

// clean appends s to dst without tab, CR and LF, and cut at its first "#".
func clean(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\t', '\r', '\n':
		case '#':
			return dst
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// unescape appends s to dst percent-unescaped until no escape is left.
// Decoding an escape can complete another one ("%2541" is "%41", then
// "A"), which is decoded in turn: dst works as a stack whose top three bytes
// are decoded whenever they form an escape, so the result is the one
// repeated passes reach, in one.
func unescape(dst, s []byte) []byte {
	start := len(dst)
	for _, c := range s {
		dst = append(dst, c)
		for n := len(dst); n-start >= 3 && dst[n-3] == '%' && isHex(dst[n-2]) && isHex(dst[n-1]); n = len(dst) {
			dst[n-3] = unhex(dst[n-2])<<4 | unhex(dst[n-1])
			dst = dst[:n-2]
		}
	}
	return dst
}

// escapeSet marks the bytes that a part of the canonical URL escapes.
type escapeSet [256]bool

// escapes are the bytes the specification escapes: those at or below ASCII
// 32, at or above 127, "#" and "%".
var escapes = newEscapeSet("#%")

// hostEscapes are escapes and the bytes that would end or split the host
// when the canonical URL is read again. No host a browser accepts holds any
// of them; an escaped "/", "?", "@" or ":" may stand for one in a URL that
// no browser opens.
var hostEscapes = newEscapeSet("#%/?@:")

func newEscapeSet(also string) escapeSet {
	var set escapeSet
	for c := range set {
		set[c] = c <= ' ' || c >= 0x7f
	}
	for i := 0; i < len(also); i++ {
		set[also[i]] = true
	}
	return set
}

// escapeTail percent-escapes the bytes of b[from:] that set holds, in
// place: b grows by two bytes for each, filled from its end.
func escapeTail(b []byte, from int, set *escapeSet) []byte {
	extra := 0
	for _, c := range b[from:] {
		if set[c] {
			extra += 2
		}
	}
	if extra == 0 {
		return b
	}
	r := len(b)
	b = append(b, make([]byte, extra)...)
	w := len(b)
	for r > from {
		r--
		c := b[r]
		if set[c] {
			w -= 3
			b[w], b[w+1], b[w+2] = '%', upperhex[c>>4], upperhex[c&15]
		} else {
			w--
			b[w] = c
		}
	}
	return b
}

const upperhex = "0123456789ABCDEF"

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unhex is the value of the hexadecimal digit c.
func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
