package linkify

import (
	"unicode"
	"unicode/utf8"
)

// pathEnd returns the end of the path, query and fragment that start at
// w[i:]: a run of path characters and of balanced brackets, as xurls reads
// it: "(", "[" or "{" opens a group of path characters, which may hold one
// nested group of the same kind, and an unbalanced bracket ends the path
// ("https://en.wikipedia.org/wiki/Foo_(bar)" but "(cek https://x.com/a)").
//
// While authority is true, up to the first '/', '?' or '#', invisible
// format characters count as path characters: inside a host name they are
// a disguise, and the link keeps them so that /go refuses it. After that
// they end the path, as do control characters and broken text.
//
// It reads each byte at most twice, once more for a group that does not
// close, after which the path ends.
func pathEnd(w string, i int, authority bool) int {
	for i < len(w) {
		c := w[i]
		switch {
		case is(c, pathByte):
			if c == '/' || c == '?' || c == '#' {
				authority = false
			}
			i++
		case c == '(' || c == '[' || c == '{':
			end := groupEnd(w, i)
			if end < 0 {
				return i
			}
			i = end
		case c < utf8.RuneSelf:
			return i
		default:
			r, size := utf8.DecodeRuneInString(w[i:])
			if !isPathRune(r) && !(authority && unicode.Is(unicode.Cf, r)) {
				return i
			}
			i += size
		}
	}
	return i
}

// closing maps each opening bracket of a path to its closing one.
var closing = [utf8.RuneSelf]byte{'(': ')', '[': ']', '{': '}'}

// groupEnd returns the end of the group of path characters opened at w[i],
// or -1 when it does not close: at most two levels of one kind of bracket,
// with nothing but path characters between them.
func groupEnd(w string, i int) int {
	open, close := w[i], closing[w[i]]
	depth := 0
	for i < len(w) {
		c := w[i]
		switch {
		case c == open:
			if depth++; depth > 2 {
				return -1
			}
			i++
		case c == close:
			i++
			if depth--; depth == 0 {
				return i
			}
		case is(c, pathByte):
			i++
		case c < utf8.RuneSelf:
			return -1
		default:
			r, size := utf8.DecodeRuneInString(w[i:])
			if !isPathRune(r) {
				return -1
			}
			i += size
		}
	}
	return -1
}

// trimEnd moves the end e of a link back past what ends the sentence
// rather than the link, but not before lo: non-ASCII symbols and
// punctuation ("cek blibli.com/promo🔥", "“https://x.com/a”"), and the
// ASCII punctuation that stands only in the middle of a link ("x.com/a.",
// "x.com/a.🔥" give "x.com/a").
func trimEnd(w string, lo, e int) int {
	for e > lo {
		r, size := utf8.DecodeLastRuneInString(w[lo:e])
		if r < utf8.RuneSelf && !is(byte(r), midByte) || r >= utf8.RuneSelf && !endsSentence(r) {
			break
		}
		e -= size
	}
	return e
}
