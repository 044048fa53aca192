package linefile

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"
)

func TestScanSkipsCommentsAndNamesTheLine(t *testing.T) {
	text := "# a comment\n\nfirst   # after\n   \nbad line\n  # indented comment\nlast"
	var got []string
	errs := Scan("words.txt", strings.NewReader(text), 100, func(line int, text string) error {
		if strings.HasPrefix(text, "bad") {
			return errors.New("not wanted")
		}
		got = append(got, fmt.Sprintf("%d:%s", line, text))
		return nil
	})
	if want := []string{"3:first   ", "7:last"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("lines = %q, want %q", got, want)
	}
	if errs.Error() != "words.txt:5: not wanted" {
		t.Errorf("errors = %q", errs.Error())
	}
}

func TestScanRefusesALongLine(t *testing.T) {
	text := "short\n" + strings.Repeat("x", 101) + "\nnever read\n"
	var lines []int
	errs := Scan("words.txt", strings.NewReader(text), 100, func(line int, _ string) error {
		lines = append(lines, line)
		return nil
	})
	if fmt.Sprint(lines) != "[1]" {
		t.Errorf("lines read = %v", lines)
	}
	if want := "words.txt:2: cannot read: the line is longer than 100 bytes"; errs.Error() != want {
		t.Errorf("errors = %q, want %q", errs.Error(), want)
	}
}

func TestScanReportsAFailedRead(t *testing.T) {
	errs := Scan("words.txt", iotest.ErrReader(errors.New("disk on fire")), 100, func(int, string) error { return nil })
	if want := "words.txt:1: cannot read: disk on fire"; errs.Error() != want {
		t.Errorf("errors = %q, want %q", errs.Error(), want)
	}
}

func TestErrorOfAWholeFile(t *testing.T) {
	es := Errors{{File: "a.txt", Msg: "missing"}, {File: "b.txt", Line: 3, Msg: "bad"}}
	if want := "a.txt: missing\nb.txt:3: bad"; es.Error() != want {
		t.Errorf("Errors = %q, want %q", es.Error(), want)
	}
}
