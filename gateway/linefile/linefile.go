// Package linefile reads the security team's line files, such as the
// allowlist and the signal patterns: an entry a line, "#" starts a comment,
// and every problem names its file and line.
package linefile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Error is a problem with one line of a file, or with the whole file when
// Line is 0.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Errors is every problem found in a set of files, in file and line order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Scan reads r a line at a time and calls fn with the number (from 1) and
// the text of every line that holds more than a comment, the comment cut
// off. An error fn returns becomes an Error of that line; a line longer
// than maxLine bytes, or a failed read, ends the scan with an Error.
func Scan(file string, r io.Reader, maxLine int, fn func(line int, text string) error) Errors {
	var errs Errors
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, min(maxLine, 4096)), maxLine)
	line := 0
	for sc.Scan() {
		line++
		text, _, _ := strings.Cut(sc.Text(), "#")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if err := fn(line, text); err != nil {
			errs = append(errs, &Error{File: file, Line: line, Msg: err.Error()})
		}
	}
	switch err := sc.Err(); {
	case errors.Is(err, bufio.ErrTooLong):
		errs = append(errs, &Error{File: file, Line: line + 1, Msg: fmt.Sprintf("cannot read: the line is longer than %d bytes", maxLine)})
	case err != nil:
		errs = append(errs, &Error{File: file, Line: line + 1, Msg: fmt.Sprintf("cannot read: %v", err)})
	}
	return errs
}
