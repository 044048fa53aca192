package lookalike

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// asciiSkeleton is the skeleton of each ASCII character: itself for most,
// else what the table gives ("l" for I, 1 and |, "o" for 0, "rn" for m and
// M) or the lowercase form.
var asciiSkeleton = func() (t [utf8.RuneSelf]string) {
	for c := range t {
		if sk, ok := tableSkeleton(rune(c)); ok {
			t[c] = sk
		} else {
			t[c] = string(unicode.ToLower(rune(c)))
		}
	}
	return t
}()

// skeleton reduces s to the form a quick reader sees, so that two strings
// that look alike have the same skeleton. It is the skeleton of Unicode's
// confusable detection (UTS #39: NFD, each character replaced by the
// prototype confusables.txt gives it, NFD again), made blind to what a
// reader does not notice in a domain name: compatibility forms (NFKD for
// NFD, so fullwidth ｂ is b), case, and accents (nonspacing marks go). A
// skeleton is its own skeleton.
func skeleton(s string) string {
	if isASCII(s) {
		return asciiSkeletonOf(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	// Invalid bytes become U+FFFD first: NFKD would leave them in place
	// and could leave what follows them unnormalized.
	for _, r := range norm.NFKD.String(strings.ToValidUTF8(s, "\uFFFD")) {
		if r < utf8.RuneSelf {
			b.WriteString(asciiSkeleton[r])
		} else if sk, ok := tableSkeleton(r); ok {
			b.WriteString(sk)
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return norm.NFKD.String(b.String())
}

// asciiSkeletonOf is the skeleton of an ASCII string; it allocates only
// when a character changes.
func asciiSkeletonOf(s string) string {
	i := 0
	for i < len(s) && asciiSkeleton[s[i]] == s[i:i+1] {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		b.WriteString(asciiSkeleton[s[i]])
	}
	return b.String()
}

// tableSkeleton is the skeleton the generated table gives r, a code point
// that NFKD leaves as it is, if any: one missing from the table has its
// lowercase form as skeleton.
func tableSkeleton(r rune) (string, bool) {
	i, ok := slices.BinarySearch(skeletonRunes[:], r)
	if !ok {
		return "", false
	}
	start := uint16(0)
	if i > 0 {
		start = skeletonEnds[i-1]
	}
	return skeletonText[start:skeletonEnds[i]], true
}

// withinDistance reports whether the edit distance (insertions, deletions,
// substitutions of characters) between a and b is at most k.
func withinDistance(a, b string, k int) bool {
	if abs(utf8.RuneCountInString(a)-utf8.RuneCountInString(b)) > k {
		return false
	}
	ra, rb := []rune(a), []rune(b)
	// Official names are short: their rows fit on the stack.
	var rows [2][32]int
	prev, curr := rows[0][:], rows[1][:]
	if len(rb) >= len(rows[0]) {
		prev, curr = make([]int, len(rb)+1), make([]int, len(rb)+1)
	}
	prev, curr = prev[:len(rb)+1], curr[:len(rb)+1]
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
