package main

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// confusables is what confusables.txt (UTS #39) says: for each source code
// point, the prototype a reader may take it for.
type confusables struct {
	version string // the "# Version:" line, e.g. 17.0.0
	date    string // the "# Date:" line
	sha256  string // of the whole file, in hex

	prototypes map[rune]string
}

// parseConfusables reads confusables.txt: header comments, then lines
// "source ; prototype ; type # comment" with code points in hexadecimal, the
// prototype a sequence of them separated by spaces. An error names the line
// and what is wrong with it.
func parseConfusables(r io.Reader) (*confusables, error) {
	sum := sha256.New()
	c := &confusables{prototypes: map[rune]string{}}
	sc := bufio.NewScanner(io.TeeReader(r, sum))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		if comment, ok := strings.CutPrefix(line, "#"); ok {
			c.readHeader(strings.TrimSpace(comment))
			continue
		}
		data, _, _ := strings.Cut(line, "#")
		if strings.TrimSpace(data) == "" {
			continue
		}
		if err := c.addMapping(data); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	switch {
	case c.version == "":
		return nil, fmt.Errorf(`no "# Version:" line: not Unicode's confusables.txt`)
	case c.date == "":
		return nil, fmt.Errorf(`no "# Date:" line: not Unicode's confusables.txt`)
	case len(c.prototypes) == 0:
		return nil, fmt.Errorf("no mappings")
	}
	c.sha256 = fmt.Sprintf("%x", sum.Sum(nil))
	return c, nil
}

// readHeader keeps the version and the date from the file's first comments.
func (c *confusables) readHeader(comment string) {
	if v, ok := strings.CutPrefix(comment, "Version:"); ok && c.version == "" {
		c.version = strings.TrimSpace(v)
	}
	if d, ok := strings.CutPrefix(comment, "Date:"); ok && c.date == "" {
		c.date = strings.TrimSpace(d)
	}
}

// addMapping adds the mapping of one data line, without its comment.
func (c *confusables) addMapping(data string) error {
	fields := strings.Split(data, ";")
	if len(fields) != 3 {
		return fmt.Errorf("%d fields separated by ';', want 3 (source ; prototype ; type)", len(fields))
	}
	source, err := codePoints(fields[0])
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	if len(source) != 1 {
		return fmt.Errorf("source %q is %d code points, want one", strings.TrimSpace(fields[0]), len(source))
	}
	prototype, err := codePoints(fields[1])
	if err != nil {
		return fmt.Errorf("prototype: %w", err)
	}
	if len(prototype) == 0 {
		return fmt.Errorf("empty prototype")
	}
	if kind := strings.TrimSpace(fields[2]); kind != "MA" {
		return fmt.Errorf("type %q, want MA (the only type since Unicode 8)", kind)
	}
	r := source[0]
	if _, dup := c.prototypes[r]; dup {
		return fmt.Errorf("U+%04X mapped twice", r)
	}
	c.prototypes[r] = string(prototype)
	return nil
}

// codePoints parses code points in hexadecimal separated by spaces.
func codePoints(field string) ([]rune, error) {
	var runes []rune
	for _, hex := range strings.Fields(field) {
		n, err := strconv.ParseUint(hex, 16, 32)
		if err != nil {
			return nil, fmt.Errorf("%q is not a code point in hexadecimal", hex)
		}
		if r := rune(n); !utf8.ValidRune(r) {
			return nil, fmt.Errorf("%q is a surrogate or beyond U+10FFFF", hex)
		}
		runes = append(runes, rune(n))
	}
	return runes, nil
}
