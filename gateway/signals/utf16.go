package signals

import (
	"cmp"
	"fmt"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// UTF16Offsets converts byte offsets into text, such as a Signal's Start
// and End, to offsets in UTF-16 code units, which Android, iOS and
// JavaScript clients index strings by. The answer follows the order of
// offsets, which may come in any order; the text is read once.
//
// An offset inside a multi-byte character counts as the start of that
// character. A byte that is not valid UTF-8 counts as one unit, as the
// replacement character JSON encodes it as. An offset outside 0 to
// len(text) panics, as slicing text with it would.
func UTF16Offsets(text string, offsets ...int) []int {
	order := make([]int, len(offsets))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(offsets[a], offsets[b]) })
	out := make([]int, len(offsets))
	pos, units := 0, 0 // units of text[:pos]
	for _, i := range order {
		off := offsets[i]
		if off < 0 || off > len(text) {
			panic(fmt.Sprintf("signals: offset %d is outside the text of %d bytes", off, len(text)))
		}
		for pos < off {
			if text[pos] < utf8.RuneSelf { // one byte, one unit
				pos++
				units++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[pos:])
			if pos+size > off {
				break
			}
			pos += size
			units += max(utf16.RuneLen(r), 1)
		}
		out[i] = units
	}
	return out
}
