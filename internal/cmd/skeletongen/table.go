package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxSteps bounds the steps that lead a code point to its skeleton; the
// data needs two or three.
const maxSteps = 8

// skeletonTable lists the skeleton of each code point that NFKD leaves as
// it is and whose skeleton is not simply its lowercase form. The lookalike
// package relies on those two facts: it applies NFKD, then takes each code
// point's skeleton from the table or, when absent, its lowercase form.
//
// The skeleton of a code point is the UTS #39 skeleton (NFD, the prototype
// of each code point, NFD again) with three changes that make it blind to
// what a reader does not notice in a domain name: NFKD for NFD, so that
// compatibility forms such as fullwidth letters read as the plain letter
// (confusables.txt lists only some of them); lowercase; and no nonspacing
// marks. The steps repeat until nothing changes, so a skeleton is its own
// skeleton.
func skeletonTable(c *confusables) (map[rune]string, error) {
	table := map[rune]string{}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) || !c.mayChange(r) || !norm.NFKD.IsNormalString(string(r)) {
			continue
		}
		skel, err := c.skeleton(r)
		if err != nil {
			return nil, err
		}
		if skel != string(unicode.ToLower(r)) {
			table[r] = skel
		}
	}
	if err := checkFixed(table); err != nil {
		return nil, err
	}
	return table, nil
}

// mayChange reports whether the skeleton of r, a code point NFKD leaves as
// it is, may be other than r: r has a prototype, a lowercase form other
// than itself, or is a nonspacing mark.
func (c *confusables) mayChange(r rune) bool {
	_, mapped := c.prototypes[r]
	return mapped || unicode.ToLower(r) != r || unicode.Is(unicode.Mn, r)
}

// skeleton repeats step from r until the string no longer changes.
func (c *confusables) skeleton(r rune) (string, error) {
	s := string(r)
	for range maxSteps {
		next := c.step(s)
		if next == s {
			return s, nil
		}
		s = next
	}
	return "", fmt.Errorf("U+%04X: no fixed skeleton after %d steps", r, maxSteps)
}

// step is one round: NFKD, prototypes, NFKD, lowercase, marks dropped.
func (c *confusables) step(s string) string {
	var mapped strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if p, ok := c.prototypes[r]; ok {
			mapped.WriteString(p)
		} else {
			mapped.WriteRune(r)
		}
	}
	var out strings.Builder
	for _, r := range norm.NFKD.String(mapped.String()) {
		if !unicode.Is(unicode.Mn, r) {
			out.WriteRune(unicode.ToLower(r))
		}
	}
	return out.String()
}

// checkFixed makes sure that the lookalike package's skeleton is
// idempotent: every code point of every skeleton, taken on its own, is left
// as it is by NFKD, by the table and by lowercasing.
func checkFixed(table map[rune]string) error {
	lookup := func(r rune) string {
		if s, ok := table[r]; ok {
			return s
		}
		return string(unicode.ToLower(r))
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		_, listed := table[r]
		if !listed && unicode.ToLower(r) == r || !utf8.ValidRune(r) || !norm.NFKD.IsNormalString(string(r)) {
			continue // its own skeleton, or never looked up
		}
		for _, y := range lookup(r) {
			if !norm.NFKD.IsNormalString(string(y)) || lookup(y) != string(y) {
				return fmt.Errorf("U+%04X: the skeleton %+q is not its own skeleton at U+%04X", r, lookup(r), y)
			}
		}
	}
	return nil
}
