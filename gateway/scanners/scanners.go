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
	patterns []string // as written, for metrics and lint
	folded   []string // lowercase ASCII, for matching
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

// Match returns the first pattern, as written, that the first MaxUserAgent
// bytes of userAgent contain, ignoring ASCII case.
func (l *List) Match(userAgent string) (string, bool) {
	if l == nil || userAgent == "" {
		return "", false
	}
	ua := userAgent[:min(len(userAgent), MaxUserAgent)]
	for i, p := range l.folded {
		if containsFold(ua, p) {
			return l.patterns[i], true
		}
	}
	return "", false
}

// containsFold reports whether s contains lower, a lowercase ASCII
// pattern, ignoring the ASCII case of s, without a lowercase copy of s.
func containsFold(s, lower string) bool {
	first := lower[0]
	for i := 0; i+len(lower) <= len(s); i++ {
		if toLower(s[i]) != first {
			continue
		}
		j := 1
		for j < len(lower) && toLower(s[i+j]) == lower[j] {
			j++
		}
		if j == len(lower) {
			return true
		}
	}
	return false
}

func toLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
