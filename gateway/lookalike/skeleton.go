package lookalike

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// confusable maps a character to the Latin letter it is easily mistaken
// for. Letters that look alike among themselves (i, l, 1) share one target
// so that "bl1bli" and "bIibIi" read as "blibli".
var confusable = map[rune]rune{
	// Latin and digits
	'i': 'l', '1': 'l', '|': 'l', 'ı': 'l', 'ɩ': 'l', 'ł': 'l', 'ƚ': 'l', 'ǀ': 'l',
	'0': 'o', 'ø': 'o',
	// Cyrillic
	'а': 'a', 'в': 'b', 'ь': 'b', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'ё': 'e', 'һ': 'h',
	'і': 'l', 'ї': 'l', 'ӏ': 'l', 'ј': 'j', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o',
	'р': 'p', 'ԛ': 'q', 'г': 'r', 'ѕ': 's', 'т': 't', 'у': 'y', 'ԝ': 'w', 'х': 'x',
	// Greek
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'l', 'κ': 'k', 'ν': 'v', 'ο': 'o',
	'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ω': 'w',
	// Armenian
	'օ': 'o', 'ս': 'u', 'հ': 'h', 'ո': 'n',
}

// lookalikePairs are letter pairs that read as one letter in most fonts.
var lookalikePairs = strings.NewReplacer("rn", "m", "vv", "w", "cl", "d")

// skeleton reduces s to the form a quick reader sees: accents dropped,
// confusable characters replaced by their Latin look-alike, and look-alike
// letter pairs merged.
func skeleton(s string) string {
	if !isASCII(s) {
		s = norm.NFKD.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if c, ok := confusable[r]; ok {
			r = c
		}
		b.WriteRune(r)
	}
	return lookalikePairs.Replace(b.String())
}

// withinDistance reports whether the edit distance (insertions, deletions,
// substitutions of characters) between a and b is at most k.
func withinDistance(a, b string, k int) bool {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > k {
		return false
	}
	prev := make([]int, len(rb)+1)
	curr := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		curr[0] = i
		rowMin := curr[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			curr[j] = min(prev[j]+1, curr[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, curr[j])
		}
		if rowMin > k {
			return false
		}
		prev, curr = curr, prev
	}
	return prev[len(rb)] <= k
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
