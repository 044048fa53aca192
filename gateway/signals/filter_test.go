package signals

import (
	"testing"

	"github.com/blibli/safelink"
)

// TestFilterHasEveryWordOfThePatterns holds the filter to its promise:
// never no for a word it holds. A word it wrongly passed over would be a
// signal missed.
func TestFilterHasEveryWordOfThePatterns(t *testing.T) {
	d, err := Load(safelink.Signals())
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *node) int
	walk = func(n *node) int {
		words := 0
		for w, child := range n.next {
			if !d.keys.mayHave(w) {
				t.Errorf("the filter passes over %q, a word of the patterns", w)
			}
			words += 1 + walk(child)
		}
		return words
	}
	if words := walk(d.root); words < 100 {
		t.Fatalf("%d words in the trie: the patterns did not load", words)
	}
	passed, tried := 0, 0
	for _, w := range []string{"barangnya", "ditunggu", "kabarnya", "semoga", "ukuran", "warna", "sepatu", "terima", "banyak", "cepat"} {
		if d.vocab.words[w] {
			continue // a word of the patterns since
		}
		tried++
		if d.keys.mayHave(w) {
			passed++
		}
	}
	if passed*4 > tried {
		t.Errorf("the filter passes %d of %d everyday words no pattern uses: it filters little", passed, tried)
	}
}
