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
	start, end int32 // a message is read up to maxText bytes
	brk        bool  // it starts a piece after punctuation that ends a phrase
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
	chunks := ws.chunks[:0]
	for i := 0; i < len(pieces); {
		j := i + 1
		if pieces[i].hi-pieces[i].lo == 1 {
			// Single letters or digits one separator apart are one
			// word spelled out: "k o d e", "a.n.", "0 8 1 2".
			for j < len(pieces) && pieces[j].hi-pieces[j].lo == 1 && pieces[j].gap == 1 {
				j++
			}
		}
		lo, hi := pieces[i].lo, pieces[j-1].hi
		if j == i+1 && !isDigit(chars[lo].r) && !isDigit(chars[hi-1].r) {
			chunks = append(chunks, chunk{lo, hi, false}) // a word, as most are: nothing to split
		} else {
			chunks = v.split(chunks, chars, lo, hi, j-i > 1)
		}
		i = j
	}
	chunks = joinChunks(chunks, chars, text)
	ws.chunks = chunks
	tokens := slices.Grow(ws.tokens[:0], len(chunks))[:len(chunks)]
	all := ws.forms[:0] // the forms of every token, in one array
	for i, ch := range chunks {
		cs := chars[ch.lo:ch.hi]
		start := int(cs[0].start)
		t := &tokens[i]
		*t = token{start: start, end: int(cs[len(cs)-1].end), number: ch.number, brk: cs[0].brk}
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
		if b := text[i]; b < utf8.RuneSelf && asciiFolded[b] != 0 {
			// A run of ASCII letters and digits, most of chat.
			if !in {
				pieces = append(pieces, piece{lo: len(chars), gap: gap})
				in, gap = true, 0
			}
			chars = append(chars, char{r: rune(asciiFolded[b]), start: int32(i), end: int32(i + 1), brk: brk})
			brk = false
			for i++; i < len(text) && text[i] < utf8.RuneSelf && asciiFolded[text[i]] != 0; i++ {
				chars = append(chars, char{r: rune(asciiFolded[text[i]]), start: int32(i), end: int32(i + 1)})
			}
			continue
		}
		if text[i] == ' ' { // the separator of most words: nothing more to it
			if in {
				pieces[len(pieces)-1].hi = len(chars)
				in = false
			}
			gap++
			i++
			continue
		}
		r, size := rune(text[i]), 1
		word, invisible := false, false // an ASCII sign or space is neither
		folded := r
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
			word = isWordRune(r)
			folded = fold(r)
			invisible = !word && isInvisible(r)
		}
		switch {
		case word:
			if !in {
				pieces = append(pieces, piece{lo: len(chars), gap: gap})
				in, gap = true, 0
			}
			chars = append(chars, char{r: folded, start: int32(i), end: int32(i + size), brk: brk})
			brk = false
		case in && r == '@' && wordRuneAt(text, i+size):
			chars = append(chars, char{r: r, start: int32(i), end: int32(i + size)})
		case in && (invisible || isApostrophe(r) && wordRuneAt(text, i+size)):
			chars[len(chars)-1].end = int32(i + size)
		case invisible:
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

// chunk is a word of a message in chars, chars[lo:hi], before it becomes a
// token.
type chunk struct {
	lo, hi int
	number bool // only digits
}

// split appends the words of chars[lo:hi] to chunks: two or more digits at
// either end of a word with letters are a number of their own (budi123,
// wa0812…), and a spaced-out run is read as the pattern words it spells.
func (v *vocabulary) split(chunks []chunk, chars []char, lo, hi int, spaced bool) []chunk {
	if allDigits(chars[lo:hi]) {
		return append(chunks, chunk{lo, hi, true})
	}
	a := lo
	for isDigit(chars[a].r) {
		a++
	}
	if a-lo >= 2 {
		chunks = append(chunks, chunk{lo, a, true})
		lo = a
	}
	b := hi
	for isDigit(chars[b-1].r) {
		b--
	}
	end := hi // of the number at the end, when there is one
	if hi-b >= 2 {
		hi = b
	}
	// What is left has a letter: a word of digits only is a number.
	if spaced {
		chunks = v.segment(chunks, chars, lo, hi)
	} else {
		chunks = append(chunks, chunk{lo, hi, false})
	}
	if end > hi {
		chunks = append(chunks, chunk{hi, end, true})
	}
	return chunks
}

// segment appends chars[lo:hi], a run spelled out letter by letter, as the
// fewest pattern words that spell it exactly ("kodeotp" is kode otp), or
// whole when no such words do.
func (v *vocabulary) segment(chunks []chunk, chars []char, lo, hi int) []chunk {
	n := hi - lo
	whole := chunk{lo, hi, allDigits(chars[lo:hi])}
	s := make([]byte, n)
	for i, c := range chars[lo:hi] {
		r := leet(c.r)
		if r >= utf8.RuneSelf {
			return append(chunks, whole)
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
		return append(chunks, whole)
	}
	at := len(chunks)
	for j := n; j > 0; j = from[j] {
		chunks = append(chunks, chunk{lo + from[j], lo + j, allDigits(chars[lo+from[j] : lo+j])})
	}
	slices.Reverse(chunks[at:])
	return chunks
}

// joinChunks joins, in one pass, numbers that follow one another with one
// space, dash or dot between them, as phone and account numbers are
// written (0812-3456-7890, 0812 3456 7890, 1.250.000), and a "nya"
// written apart to the word before it, whose suffix it is: "otp nya" reads
// as otp, as "otpnya" does.
func joinChunks(chunks []chunk, chars []char, text string) []chunk {
	out := chunks[:0]
	for _, ch := range chunks {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if ch.number && last.number {
				if between := text[chars[last.hi-1].end:chars[ch.lo].start]; len(between) == 1 && strings.Contains(" -.", between) {
					last.hi = ch.hi
					continue
				}
			}
			if cs := chars[ch.lo:ch.hi]; len(cs) == 3 && cs[0].r == 'n' && cs[1].r == 'y' && cs[2].r == 'a' && !cs[0].brk && !last.number {
				last.hi = ch.hi
				continue
			}
		}
		out = append(out, ch)
	}
	return out
}

// forms appends the spellings of the word cs of text to all (see
// token.forms) and returns all and the spellings.
func forms(ws *workspace, all []string, text string, cs []char, afterDot bool) ([]string, []string) {
	at := len(all)
	// The folded letters of cs: the bytes of text they stand for when
	// each takes one byte with nothing between them, as in most chat,
	// spelled in ws otherwise.
	word := text[cs[0].start:cs[len(cs)-1].end]
	if len(word) != len(cs) {
		word = ws.spell(cs, func(r rune) rune { return r })
	}
	kinds, triple := look(word)
	if kinds&capital != 0 {
		word = ws.lower(word)
		kinds, triple = look(word)
	}
	all = append(all, word)
	readAsLetters := kinds&readAsLetter != 0
	if kinds&letter != 0 {
		if readAsLetters {
			all = addForm(all, at, ws.spell(cs, leet))
		}
		if triple || readAsLetters {
			for _, f := range all[at:] {
				all = addForm(all, at, ws.squeeze(f))
			}
		}
		if len(all) == at+1 { // one form, as most words have
			if st := stem(word); len(st) < len(word) {
				all = append(all, st) // a suffix cut off: another form
			}
		} else {
			for _, f := range all[at:] {
				if st := stem(f); len(st) < len(f) {
					all = addForm(all, at, st)
				}
			}
		}
		if afterDot {
			for _, f := range all[at:] {
				all = append(all, ws.dotted(f))
			}
		}
	}
	return all, all[at:len(all):len(all)]
}

// byteKind says what a byte of a word is, as bits.
type byteKind uint8

const (
	letter       byteKind = 1 << iota // neither a digit nor @ (any byte of a letter beyond ASCII)
	readAsLetter                      // a digit or a sign leet reads as a letter
	capital                           // an ASCII capital letter
)

// look tells, in one look at each byte of word, what kinds of bytes it
// has, and whether it has a byte three times in a row, which any rune
// repeated three times in a row makes. The signs and digits read as
// letters are all ASCII, so the bytes tell what forms the word has.
func look(word string) (kinds byteKind, triple bool) {
	for i := 0; i < len(word); i++ {
		kinds |= byteKinds[word[i]]
		triple = triple || i >= 2 && word[i] == word[i-1] && word[i] == word[i-2]
	}
	return kinds, triple
}

// byteKinds is the kind of each byte.
var byteKinds = func() (t [256]byteKind) {
	for b := range 256 {
		r := rune(b)
		if !isDigit(r) && r != '@' {
			t[b] |= letter
		}
		if r < utf8.RuneSelf && leet(r) != r {
			t[b] |= readAsLetter
		}
		if 'A' <= r && r <= 'Z' {
			t[b] |= capital
		}
	}
	return t
}()

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

// suffixesEnding lists the suffixes by their last byte, each list in the
// order of suffixes: stem compares a word with those it may end in only.
var suffixesEnding = func() (by [256][]string) {
	for _, suf := range suffixes {
		last := suf[len(suf)-1]
		by[last] = append(by[last], suf)
	}
	return by
}()

// stem returns s without the first of suffixes it ends in, when two or
// more letters remain; s itself otherwise.
func stem(s string) string {
	if len(s) < 4 {
		return s // no suffix leaves two letters of less
	}
	for _, suf := range suffixesEnding[s[len(s)-1]] {
		if rest := len(s) - len(suf); rest >= 2 && s[rest:] == suf {
			return s[:rest]
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
