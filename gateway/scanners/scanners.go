// Package scanners recognizes the clients that fetch a link before a
// person does, by their User-Agent: chat apps that fetch a link to show its
// preview (WhatsApp, facebookexternalhit, Slackbot, TelegramBot …), search
// crawlers, and the mail and security scanners that check a link on a
// person's behalf (Microsoft's Safe Links, BingPreview …). The security
// team keeps their patterns in scanners.txt, one a line.
//
// The gateway answers them as it answers a person, so that a preview shows
// what a person would see, but does not count them as clicks and does
// nothing on their behalf that costs: no shortener expansion.
package scanners

import (
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/blibli/safelink/gateway/linefile"
)

// File is the name of the pattern file, beside the allowlist files.
const File = "scanners.txt"

// Limits of a pattern file.
const (
	MinPattern  = 3    // bytes of a pattern at least: a shorter one matches by chance
	MaxPattern  = 100  // bytes of a pattern at most
	MaxPatterns = 500  // patterns in a file at most
	maxLine     = 4096 // bytes of a line, comment included
	// MaxUserAgent is how much of a User-Agent is searched: real ones are
	// a few hundred bytes, and a longer one costs no more than this.
	MaxUserAgent = 1024
)

// List is a loaded pattern file. It is immutable and safe for concurrent
// use.
type List struct {
	patterns []string   // as written, for metrics and lint
	folded   []string   // lowercase ASCII, for matching
	byFirst  [256][]int // the patterns by their first byte, lowercase
}

// Load reads File from fsys.
func Load(fsys fs.FS) (*List, error) {
	f, err := fsys.Open(File)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(File, f)
}

// Parse reads a pattern file: each line that holds more than a comment is
// one pattern, matched case-insensitively anywhere in a User-Agent. A
// pattern is printable ASCII of MinPattern to MaxPattern bytes, spaces
// inside allowed, and given once. It returns linefile.Errors naming every
// bad line, and no List when any is bad.
func Parse(file string, r io.Reader) (*List, error) {
	l := &List{}
	seen := map[string]int{}
	errs := linefile.Scan(file, r, maxLine, func(line int, text string) error {
		p := strings.TrimSpace(text)
		switch {
		case len(p) < MinPattern || len(p) > MaxPattern:
			return fmt.Errorf("pattern %q: %d bytes, want %d to %d", p, len(p), MinPattern, MaxPattern)
		case !printableASCII(p):
			return fmt.Errorf("pattern %q: only printable ASCII, as in a User-Agent", p)
		}
		folded := strings.ToLower(p)
		if first, ok := seen[folded]; ok {
			return fmt.Errorf("pattern %q is given on line %d already", p, first)
		}
		if len(l.patterns) == MaxPatterns {
			return fmt.Errorf("more than %d patterns", MaxPatterns)
		}
		seen[folded] = line
		l.patterns = append(l.patterns, p)
		l.byFirst[folded[0]] = append(l.byFirst[folded[0]], len(l.folded))
		l.folded = append(l.folded, folded)
		return nil
	})
	if len(errs) > 0 {
		return nil, errs
	}
	return l, nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// Len returns the number of patterns.
func (l *List) Len() int {
	return len(l.patterns)
}

// Match returns the pattern, as written, found first in the first
// MaxUserAgent bytes of userAgent, ignoring ASCII case; of patterns found
// at the same place, the first in the file.
func (l *List) Match(userAgent string) (string, bool) {
	if l == nil {
		return "", false
	}
	ua := userAgent[:min(len(userAgent), MaxUserAgent)]
	// One pass over the User-Agent, trying at each byte only the patterns
	// that start with it: a person's browser, which matches none, costs
	// a few hundred byte comparisons, not one search per pattern.
	for i := 0; i < len(ua); i++ {
		for _, p := range l.byFirst[toLower(ua[i])] {
			if hasPrefixFold(ua[i:], l.folded[p]) {
				return l.patterns[p], true
			}
		}
	}
	return "", false
}

// hasPrefixFold reports whether s starts with lower, a lowercase ASCII
// pattern, ignoring the ASCII case of s.
func hasPrefixFold(s, lower string) bool {
	if len(s) < len(lower) {
		return false
	}
	for j := 1; j < len(lower); j++ {
		if toLower(s[j]) != lower[j] {
			return false
		}
	}
	return true
}

func toLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
