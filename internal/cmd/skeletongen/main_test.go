package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// generated is the table the lookalike package compiles.
const generated = "../../../gateway/lookalike/skeleton_table.go"

// TestTableUpToDate regenerates the table from the confusables.txt kept
// here and compares it with the one the lookalike package compiles.
func TestTableUpToDate(t *testing.T) {
	want, err := tableSource("confusables.txt")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(generated)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not the table confusables.txt gives with this Go's Unicode tables: run go generate ./gateway/lookalike", generated)
	}
}

func TestRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "table.go")
	if err := run([]string{"-data", "confusables.txt", "-out", out}); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"// Code generated", "DO NOT EDIT.", "version 17.0.0", "SHA-256 ", "package lookalike"} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("the generated file lacks %q", want)
		}
	}
}

func TestRunRejectsBadArguments(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"-data", filepath.Join(dir, "missing.txt")}, "missing.txt"},
		{[]string{"-data", "confusables.txt", "extra"}, `unexpected arguments ["extra"]`},
		{[]string{"-size", "1"}, "flag provided but not defined: -size"},
		{[]string{"-data", "confusables.txt", "-out", filepath.Join(dir, "no", "such", "dir.go")}, "no such file or directory"},
	}
	for _, tt := range tests {
		err := run(tt.args)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.wantErr)
		}
	}
}

// header is what a confusables.txt starts with.
const header = "\uFEFF# confusables.txt\n# Date: 2025-07-22, 05:49:37 GMT\n#\n# Version: 17.0.0\n#\n"

func TestParseConfusables(t *testing.T) {
	c, err := parseConfusables(strings.NewReader(header +
		"2C93 ;\t0131 ;\tMA\t# ( ⲓ → ı ) COPTIC SMALL LETTER IAUDA → LATIN SMALL LETTER DOTLESS I\n" +
		"\n" +
		"0131 ;\t0069 ;\tMA\t# ( ı → i )\n" +
		"006D ;\t0072 006E ;\tMA\t# ( m → rn )\n" +
		"# total: 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.version != "17.0.0" || c.date != "2025-07-22, 05:49:37 GMT" || len(c.sha256) != 64 {
		t.Errorf("version %q, date %q, sha256 %q", c.version, c.date, c.sha256)
	}
	want := map[rune]string{0x2C93: "ı", 0x131: "i", 'm': "rn"}
	if len(c.prototypes) != len(want) {
		t.Errorf("%d mappings, want %d", len(c.prototypes), len(want))
	}
	for r, p := range want {
		if c.prototypes[r] != p {
			t.Errorf("prototype of %U = %q, want %q", r, c.prototypes[r], p)
		}
	}
}

func TestParseConfusablesRejects(t *testing.T) {
	tests := []struct {
		data    string
		wantErr string
	}{
		{"0031 ;\t006C ;\tMA\n", `no "# Version:" line`},
		{"# Version: 17.0.0\n0031 ;\t006C ;\tMA\n", `no "# Date:" line`},
		{header, "no mappings"},
		{header + "0031 ;\t006C\n", "line 6: 2 fields separated by ';', want 3"},
		{header + "0031 ;\t006C ;\tMA ; x\n", "line 6: 4 fields"},
		{header + "00G1 ;\t006C ;\tMA\n", `line 6: source: "00G1" is not a code point in hexadecimal`},
		{header + "D800 ;\t006C ;\tMA\n", `line 6: source: "D800" is a surrogate`},
		{header + "0031 ;\t110000 ;\tMA\n", `line 6: prototype: "110000" is a surrogate or beyond U+10FFFF`},
		{header + "0031 0032 ;\t006C ;\tMA\n", `line 6: source "0031 0032" is 2 code points, want one`},
		{header + " ;\t006C ;\tMA\n", `line 6: source "" is 0 code points`},
		{header + "0031 ;\t ;\tMA\n", "line 6: empty prototype"},
		{header + "0031 ;\t006C ;\tSA\n", `line 6: type "SA", want MA`},
		{header + "0031 ;\t006C ;\tMA\n\n0031 ;\t0049 ;\tMA\n", "line 8: U+0031 mapped twice"},
	}
	for _, tt := range tests {
		_, err := parseConfusables(strings.NewReader(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("parseConfusables(%q) = %v, want an error containing %q", tt.data, err, tt.wantErr)
		}
	}
}
