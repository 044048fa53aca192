package signals_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blibli/safelink/gateway/linefile"
	"github.com/blibli/safelink/gateway/signals"
)

// files returns pattern files named a.txt, b.txt, … with the given text.
func files(texts ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i, text := range texts {
		fsys[string(rune('a'+i))+".txt"] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

func mustLoad(t *testing.T, texts ...string) *signals.Detector {
	t.Helper()
	d, err := signals.Load(files(texts...))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return d
}

func TestLoadNamesFileAndLineOfEachProblem(t *testing.T) {
	const ok = "kind apk-file\nmatch .apk\n"
	tests := []struct {
		name, text, want string
	}{
		{"unknown line", "mach otp\n", `a.txt:1: unknown line "mach": a line starts with kind, list, match or unless`},
		{"unknown kind", "kind phishing\n", `a.txt:1: signal: unknown signal kind "phishing" (known: credential-request,secret-shared,off-platform-payment,off-platform-contact,apk-file)`},
		{"kind without match", "kind apk-file\n# nothing\n", "a.txt:1: kind apk-file has no match line below it"},
		{"match before kind", "match otp\n", "a.txt:1: match before any kind line: match lines belong to the kind line above them"},
		{"unless before kind", "unless jangan before 2\n", "a.txt:1: unless before any kind line: unless lines belong to the kind line above them"},
		{"list without colon", "list ask minta\n", "a.txt:1: a list line is list NAME: phrase, phrase, …"},
		{"list name", "list Ask: minta\n", `a.txt:1: list name "Ask": use lowercase letters, digits and dashes, starting with a letter`},
		{"empty phrase", "list ask: minta,, kirim\n", "a.txt:1: phrase 2 of list ask is empty"},
		{"comma at the end", "list ask: minta,\n", "a.txt:1: phrase 2 of list ask is empty"},
		{"long phrase", "list ask: a b c d e f g\n", `a.txt:1: phrase "a b c d e f g" has 7 words; a phrase has at most 6`},
		{"repeated phrase", "list ask: minta\nlist ask: kirim, minta\n", `a.txt:2: "minta" is already in list ask on line 1`},
		{"capitals", "list ask: Minta\n", `a.txt:1: "Minta": write words in lowercase ("minta")`},
		{"punctuation", "list app: wa.me\n", `a.txt:1: "wa.me": a word is letters a-z or digits 0-9; write its parts apart with spaces ("wa me")`},
		{"letters and digits", "list x: 0tp\n", `a.txt:1: "0tp" mixes letters and digits`},
		{"a lone dot", ok + "match .\n", `a.txt:3: "." is not a word`},
		{"nya", ok + "match apk nya\n", `a.txt:3: "nya" never stands alone`},
		{"gap first", ok + "match ~2 otp\n", `a.txt:3: "~2": a pattern cannot start with a gap`},
		{"gap last", ok + "match otp ~2\n", "a.txt:3: a pattern cannot end with a gap"},
		{"gap too long", ok + "match otp ~11 kirim\n", `a.txt:3: "~11": a gap is ~N with N from 1 to 10`},
		{"gap zero", ok + "match otp ~0 kirim\n", `a.txt:3: "~0": a gap is ~N with N from 1 to 10`},
		{"two gaps", ok + "match otp ~2 ~3 kirim\n", `a.txt:3: "~3": two gaps in a row; write one`},
		{"not first", ok + "match !otp kirim\n", `a.txt:3: "!otp": a pattern cannot start with !`},
		{"not after a gap", ok + "match otp ~2 !kirim\n", `a.txt:3: "!kirim": a ! checks the word right after the one before it, so it cannot follow a gap`},
		{"only not", ok + "match otp\nunless !x before 2\n", `a.txt:4: "!x": a pattern cannot start with !`},
		{"empty pattern", ok + "match\n", "a.txt:3: the pattern is empty"},
		{"bad list reference", ok + "match {Ask}\n", `a.txt:3: "{Ask}": a list is written {name}`},
		{"unknown class", ok + "match <number>\n", `a.txt:3: "<number>": the classes are <digits>, <digits:N>, <digits:N-M> and <phone>`},
		{"digits backwards", ok + "match <digits:8-4>\n", `a.txt:3: "<digits:8-4>": the digits must run from 1 to 32, the smaller first`},
		{"too many steps", ok + "match a b c d e f g h i\n", "a.txt:3: the pattern has 9 words, lists and classes; at most 8"},
		{"unless without side", ok + "unless jangan 3\n", "a.txt:3: an unless line is unless PATTERN before|after|around N"},
		{"unless bad side", ok + "unless jangan near 3\n", `a.txt:3: "near 3": an unless ends with before N, after N or around N`},
		{"unless far", ok + "unless jangan before 21\n", `a.txt:3: "21": the distance of an unless is a number of words from 0 to 20`},
		{"unknown list", ok + "match {ask} otp\n", "a.txt:3: unknown list {ask}"},
		{"unused list", "list ask: minta\n" + ok, "a.txt:1: list ask is never used"},
		{"long line", ok + "match " + strings.Repeat("otp ", 1100) + "\n", "a.txt:3: cannot read: the line is longer than 4096 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := signals.Load(files(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load: %v\nwant an error containing %q", err, tt.want)
			}
			if d != nil {
				t.Error("Load returned a detector with the error")
			}
		})
	}
}

func TestLoadReportsEveryProblemInFileAndLineOrder(t *testing.T) {
	_, err := signals.Load(files(
		"kind apk-file\nmatch {ask} {nope}\nlist unused: x\n",
		"list ask: minta\nbogus\nkind apk-file\nmatch .apk\nlist unused: y\n",
	))
	var errs linefile.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Load error %T %v, want linefile.Errors", err, err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		"a.txt:2: unknown list {nope}", // {ask} is defined in b.txt: lists serve every file
		"a.txt:3: list unused is never used",
		`b.txt:2: unknown line "bogus": a line starts with kind, list, match or unless`,
		"b.txt:5: list unused is already defined in a.txt:3; a list lives in one file",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadNeedsPatternFiles(t *testing.T) {
	_, err := signals.Load(fstest.MapFS{"README.md": {Data: []byte("kind apk-file\nmatch .apk\n")}})
	if err == nil || err.Error() != "no pattern files (*.txt)" {
		t.Errorf("Load of a directory without .txt files: %v", err)
	}
}

func TestFilesCountsWhatEachFileHolds(t *testing.T) {
	d := mustLoad(t,
		"list ask: minta, kirim\nlist secret: otp\n",
		"kind credential-request\nmatch {ask} ~2 {secret}\nmatch {secret} dong\nunless jangan before 2\n",
	)
	want := []signals.FileStats{{File: "a.txt", Lists: 2}, {File: "b.txt", Matches: 2, Unless: 1}}
	if got := d.Files(); !slices.Equal(got, want) {
		t.Errorf("Files() = %+v, want %+v", got, want)
	}
}

func TestEmbeddedPatternsLoad(t *testing.T) {
	d := embeddedDetector(t)
	kinds := map[string]bool{}
	for _, f := range d.Files() {
		kinds[f.File] = f.Matches > 0
	}
	for _, file := range []string{"credential-request.txt", "secret-shared.txt", "off-platform-payment.txt", "off-platform-contact.txt", "apk-file.txt"} {
		if !kinds[file] {
			t.Errorf("the embedded patterns have no match lines in %s", file)
		}
	}
}
