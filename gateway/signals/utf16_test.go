package signals

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestUTF16Offsets(t *testing.T) {
	// 🙏 is 4 bytes and 2 units; é 2 bytes and 1 unit; 中 3 bytes and 1 unit.
	const text = "Kak 🙏 kirim kode é 中 ok"
	tests := []struct {
		name          string
		offsets, want []int
	}{
		{"ASCII", []int{0, 3}, []int{0, 3}},
		{"around an emoji", []int{4, 8, 9}, []int{4, 6, 7}},
		{"any order", []int{29, 0, 20}, []int{24, 0, 18}},
		{"two-byte and three-byte characters", []int{20, 22, 23, 26}, []int{18, 19, 20, 21}},
		{"inside a character: its start", []int{24, 25, 5, 7}, []int{20, 20, 4, 4}},
		{"none", nil, []int{}},
	}
	for _, tt := range tests {
		if got := UTF16Offsets(text, tt.offsets...); !slices.Equal(got, tt.want) {
			t.Errorf("%s: UTF16Offsets(%v) = %v, want %v", tt.name, tt.offsets, got, tt.want)
		}
	}
}

func TestUTF16OffsetsCountsABadByteAsOneUnit(t *testing.T) {
	text := "ab\xffc\xe2\x82d" // a lone byte, and a cut three-byte sequence
	if got, want := UTF16Offsets(text, 3, 4, len(text)), []int{3, 4, 7}; !slices.Equal(got, want) {
		t.Errorf("UTF16Offsets = %v, want %v", got, want)
	}
}

func TestUTF16OffsetsPanicsOutsideTheText(t *testing.T) {
	for _, off := range []int{-1, 4} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "outside the text of 3 bytes") {
					t.Errorf("offset %d: panic %v", off, r)
				}
			}()
			UTF16Offsets("abc", off)
		}()
	}
}

// FuzzUTF16Offsets holds the conversion to the standard library's UTF-16
// encoding of the text before each offset on a character boundary (which
// reads a bad byte as U+FFFD, one unit, too).
func FuzzUTF16Offsets(f *testing.F) {
	f.Add("Kak 🙏 kirim kode é 中 ok", 9)
	f.Add("\xff\xfe🙏", 2)
	f.Fuzz(func(t *testing.T, text string, off int) {
		if off < 0 || off > len(text) || off < len(text) && !utf8.RuneStart(text[off]) {
			return
		}
		got := UTF16Offsets(text, off, 0, len(text))
		if want := len(utf16.Encode([]rune(text[:off]))); got[0] != want || got[1] != 0 {
			t.Fatalf("UTF16Offsets(%q, %d) = %v, want %d first", text, off, got, want)
		}
	})
}
