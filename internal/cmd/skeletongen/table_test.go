package main

import (
	"strings"
	"testing"
)

func TestSkeletonTable(t *testing.T) {
	c := &confusables{prototypes: map[rune]string{
		0x2C93: "ı", // a chain: ⲓ → ı → i
		0x131:  "i",
		'0':    "O",       // a capital prototype, lowercased
		'I':    "l",       // a capital that is not its lowercase i
		'm':    "rn",      // one letter to two
		0x1E9E: "SS",      // ẞ, whose lowercase ß is not listed
		0x2C94: "b\u0336", // a prototype with a mark, which goes
		0x0306: "\u0301",  // a mark mapped to a mark
		0x00E9: "z",       // é: NFKD never leaves it whole, so never looked up
	}}
	table, err := skeletonTable(c)
	if err != nil {
		t.Fatal(err)
	}
	want := map[rune]string{
		0x2C93: "i", 0x131: "i", '0': "o", 'I': "l", 'm': "rn", 'M': "rn",
		0x1E9E: "ss", 0x2C94: "b", 0x0306: "", 0x0301: "", 0x0336: "",
	}
	for r, skel := range want {
		if got, ok := table[r]; !ok || got != skel {
			t.Errorf("table[%U] = %q, %v; want %q", r, got, ok, skel)
		}
	}
	// Lowercase gives the skeleton of the first ones; NFKD takes the last
	// ones apart (é, fullwidth m) before any lookup.
	for _, r := range []rune{'a', 'A', 'i', 'l', 0xDF, 0xE9, 0xFF4D} {
		if got, ok := table[r]; ok {
			t.Errorf("table[%U] = %q; want no entry", r, got)
		}
	}
}

func TestSkeletonTableRejectsCycles(t *testing.T) {
	c := &confusables{prototypes: map[rune]string{'1': "2", '2': "1"}}
	_, err := skeletonTable(c)
	if err == nil || !strings.Contains(err.Error(), "U+0031: no fixed skeleton after 8 steps") {
		t.Errorf("skeletonTable with 1 → 2 → 1 = %v, want an error naming U+0031", err)
	}
}
