package signals

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is a word or a number of a message as patterns see it.
type token struct {
	start, end int // the bytes of the message it stands for
	// forms are the spellings a pattern word may match: the folded word
	// first, then with digits read as letters, with a letter repeated three
	// times or more written once, without a suffix (-nya, -kan, …), and
	// each with a dot in front when the word follows a dot (.apk).
	forms  []string
	number bool // only digits: a number, joined across single spaces, dashes and dots
	// brk is set when punctuation that ends a phrase stands before the
	// token (? ! , ; : a line break, a dot and a space): the words of a
	// list's phrase never stand either side of it.
	brk bool
}

// char is a letter or a digit of a message, folded, with the bytes of the
// message it stands for (marks after it included).
type char struct {
	r          rune
	start, end int
	brk        bool // it starts a piece after punctuation that ends a phrase
}

// piece is a run of letters and digits between separators.
type piece struct {
	lo, hi int // its chars: chars[lo:hi]
	gap    int // separators before it, a line break counting two
}

// vocabulary is every word the patterns use, for reading the letters of a
// spaced-out run ("k o d e o t p") as the words they spell.
type vocabulary struct {
	words   map[string]bool
	longest int
}

// suffixes are the endings a word may carry and still match the pattern
// word without them, one at most: kodenya, kirimkan, kasihin, otpmu.
var suffixes = []string{"nya", "lah", "kah", "kan", "in", "mu", "ku"}

// tokenize splits text into tokens, in one pass over the text and a few
// over its letters, each bounded by the size of the message. The tokens
// live in ws until its next use.
func (v *vocabulary) tokenize(ws *workspace, text string) []token {
	ws.lowered = ws.lowered[:0]
	chars, pieces := scan(ws, text)
	spans := ws.spans[:0]
	for i := 0; i < len(pieces); {
		j := i + 1
		if pieces[i].hi-pieces[i].lo == 1 {
			// Single letters or digits one separator apart are one
			// word spelled out: "k o d e", "a.n.", "0 8 1 2".
			for j < len(pieces) && pieces[j].hi-pieces[j].lo == 1 && pieces[j].gap == 1 {
				j++
			}
		}
		spans = v.split(spans, chars, pieces[i].lo, pieces[j-1].hi, j-i > 1)
		i = j
	}
	spans = joinNumbers(spans, chars, text)
	spans = attachNya(spans, chars)
	ws.spans = spans
	tokens := slices.Grow(ws.tokens[:0], len(spans))[:len(spans)]
	all := ws.forms[:0] // the forms of every token, in one array
	for i, s := range spans {
		cs := chars[s[0]:s[1]]
		start := cs[0].start
		t := &tokens[i]
		*t = token{start: start, end: cs[len(cs)-1].end, number: allDigits(cs), brk: cs[0].brk}
		all, t.forms = forms(ws, all, text, cs, start > 0 && text[start-1] == '.')
	}
	ws.tokens, ws.forms = tokens, all
	return tokens
}

// scan finds the letters and digits of text, folded, and the pieces they
// make between separators. Marks and format characters stay inside the
// word they stand in; so do an apostrophe or an @ between two letters.
func scan(ws *workspace, text string) ([]char, []piece) {
	var (
		chars  = slices.Grow(ws.chars[:0], len(text))      // a char takes a byte at least
		pieces = slices.Grow(ws.pieces[:0], len(text)/2+1) // and a piece a separator too
		in     bool
		gap    int
		brk    bool
	)
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		var word bool
		folded := r
		if r < utf8.RuneSelf { // most chat: no tables, no calls
			word = isASCIIAlnum(byte(r))
			if 'A' <= r && r <= 'Z' {
				folded += 'a' - 'A'
			}
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
			word = isWordRune(r)
			folded = fold(r)
		}
		switch {
		case word:
			if !in {
				pieces = append(pieces, piece{lo: len(chars), gap: gap})
				in, gap = true, 0
			}
			chars = append(chars, char{r: folded, start: i, end: i + size, brk: brk})
			brk = false
		case in && r == '@' && wordRuneAt(text, i+size):
			chars = append(chars, char{r: r, start: i, end: i + size})
		case in && (isInvisible(r) || isApostrophe(r) && wordRuneAt(text, i+size)):
			chars[len(chars)-1].end = i + size
		case isInvisible(r):
		default:
			if in {
				pieces[len(pieces)-1].hi = len(chars)
				in = false
			}
			gap++
			if r == '\n' {
				gap++
			}
			brk = brk || endsPhrase(text, i, r, size)
		}
		i += size
	}
	if in {
		pieces[len(pieces)-1].hi = len(chars)
	}
	ws.chars, ws.pieces = chars, pieces
	return chars, pieces
}

// endsPhrase reports whether the separator r at text[i:i+size] ends a
// phrase: ? ! , ; : … a line break, or a dot before a space or the end
// (not the dot of wa.me or a.n.).
func endsPhrase(text string, i int, r rune, size int) bool {
	switch r {
	case '?', '!', ',', ';', ':', '…', '\n':
		return true
	case '.':
		next, _ := utf8.DecodeRuneInString(text[i+size:])
		return i+size == len(text) || unicode.IsSpace(next)
	}
	return false
}

func wordRuneAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return i < len(text) && isWordRune(r)
}

// split appends the words of chars[lo:hi] to spans: two or more digits at
// either end of a word with letters are a number of their own (budi123,
// wa0812…), and a spaced-out run is read as the pattern words it spells.
func (v *vocabulary) split(spans [][2]int, chars []char, lo, hi int, spaced bool) [][2]int {
	if allDigits(chars[lo:hi]) {
		return append(spans, [2]int{lo, hi})
	}
	a := lo
	for isDigit(chars[a].r) {
		a++
	}
	if a-lo >= 2 {
		spans = append(spans, [2]int{lo, a})
		lo = a
	}
	b := hi
	for isDigit(chars[b-1].r) {
		b--
	}
	var suffix [][2]int
	if hi-b >= 2 {
		suffix = append(suffix, [2]int{b, hi})
		hi = b
	}
	if spaced {
		spans = v.segment(spans, chars, lo, hi)
	} else {
		spans = append(spans, [2]int{lo, hi})
	}
	return append(spans, suffix...)
}

// segment appends chars[lo:hi], a run spelled out letter by letter, as the
// fewest pattern words that spell it exactly ("kodeotp" is kode otp), or
// whole when no such words do.
func (v *vocabulary) segment(spans [][2]int, chars []char, lo, hi int) [][2]int {
	n := hi - lo
	s := make([]byte, n)
	for i, c := range chars[lo:hi] {
		r := leet(c.r)
		if r >= utf8.RuneSelf {
			return append(spans, [2]int{lo, hi})
		}
		s[i] = byte(r)
	}
	const none = 1 << 30
	best, from := make([]int, n+1), make([]int, n+1)
	for j := 1; j <= n; j++ {
		best[j] = none
		for i := max(0, j-v.longest); i < j; i++ {
			if best[i]+1 < best[j] && v.words[string(s[i:j])] {
				best[j], from[j] = best[i]+1, i
			}
		}
	}
	if best[n] == none || best[n] == 1 {
		return append(spans, [2]int{lo, hi})
	}
	at := len(spans)
	for j := n; j > 0; j = from[j] {
		spans = append(spans, [2]int{lo + from[j], lo + j})
	}
	slices.Reverse(spans[at:])
	return spans
}

// joinNumbers joins numbers that follow one another with one space, dash
// or dot between them, as phone and account numbers are written:
// 0812-3456-7890, 0812 3456 7890, 1.250.000.
func joinNumbers(spans [][2]int, chars []char, text string) [][2]int {
	out := spans[:0]
	lastIsNumber := false
	for _, s := range spans {
		isNumber := allDigits(chars[s[0]:s[1]])
		if n := len(out); n > 0 && isNumber && lastIsNumber {
			between := text[chars[out[n-1][1]-1].end:chars[s[0]].start]
			if len(between) == 1 && strings.Contains(" -.", between) {
				out[n-1][1] = s[1]
				continue
			}
		}
		out = append(out, s)
		lastIsNumber = isNumber
	}
	return out
}

// attachNya joins a "nya" written apart to the word before it, whose
// suffix it is: "otp nya" reads as otp, as "otpnya" does.
func attachNya(spans [][2]int, chars []char) [][2]int {
	out := spans[:0]
	for _, s := range spans {
		cs := chars[s[0]:s[1]]
		if n := len(out); n > 0 && len(cs) == 3 && cs[0].r == 'n' && cs[1].r == 'y' && cs[2].r == 'a' && !cs[0].brk &&
			!allDigits(chars[out[n-1][0]:out[n-1][1]]) {
			out[n-1][1] = s[1]
			continue
		}
		out = append(out, s)
	}
	return out
}

// forms appends the spellings of the word cs of text to all (see
// token.forms) and returns all and the spellings.
func forms(ws *workspace, all []string, text string, cs []char, afterDot bool) ([]string, []string) {
	at := len(all)
	all = append(all, plain(ws, text, cs))
	hasLetter, readAsLetters := false, false
	for _, c := range cs {
		hasLetter = hasLetter || !isDigit(c.r) && c.r != '@'
		readAsLetters = readAsLetters || leet(c.r) != c.r
	}
	if hasLetter {
		if readAsLetters {
			all = addForm(all, at, ws.spell(cs, leet))
		}
		for _, f := range all[at:] {
			all = addForm(all, at, ws.squeeze(f))
		}
		for _, f := range all[at:] {
			all = addForm(all, at, stem(f))
		}
		if afterDot {
			for _, f := range all[at:] {
				all = append(all, ws.dotted(f))
			}
		}
	}
	return all, all[at:len(all):len(all)]
}

// plain returns the folded letters of cs: the bytes of text they stand
// for when those are already folded (each one byte, nothing between them,
// no capital), as in most chat; spelled in ws otherwise.
func plain(ws *workspace, text string, cs []char) string {
	if raw := text[cs[0].start:cs[len(cs)-1].end]; len(raw) == len(cs) && !hasASCIIUpper(raw) {
		return raw
	}
	return ws.spell(cs, func(r rune) rune { return r })
}

// addForm appends f to all unless it is among the forms from all[at:].
func addForm(all []string, at int, f string) []string {
	if f == all[len(all)-1] || slices.Contains(all[at:], f) {
		return all
	}
	return append(all, f)
}

// hasTriple reports whether s holds a byte three times in a row, which
// any rune repeated three times in a row makes.
func hasTriple(s string) bool {
	for i := 2; i < len(s); i++ {
		if s[i] == s[i-1] && s[i] == s[i-2] {
			return true
		}
	}
	return false
}

// stem returns s without the first of suffixes it ends in, when two or
// more letters remain; s itself otherwise.
func stem(s string) string {
	if len(s) < 4 {
		return s // no suffix leaves two letters of less
	}
	switch s[len(s)-1] {
	case 'a', 'h', 'n', 'u': // the last letters of the suffixes
	default:
		return s
	}
	for _, suf := range suffixes {
		if rest, ok := strings.CutSuffix(s, suf); ok && len(rest) >= 2 {
			return rest
		}
	}
	return s
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

func allDigits(cs []char) bool {
	for _, c := range cs {
		if !isDigit(c.r) {
			return false
		}
	}
	return true
}
