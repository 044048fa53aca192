package signals_test

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/signals"
	"github.com/blibli/safelink/gateway/verdict"
)

// labelled is a message of a corpus file with the kinds it carries.
type labelled struct {
	line  int
	kinds []verdict.SignalKind
	text  string
}

// readCorpus reads a corpus file: the kinds (comma-separated, "-" for
// none), a tab, the message; # starts a comment line.
func readCorpus(t *testing.T, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		labels, text, ok := strings.Cut(line, "\t")
		if !ok || text == "" {
			t.Fatalf("%s:%d: want kinds, a tab and the message", path, n)
		}
		m := labelled{line: n, text: text}
		if labels != "-" {
			for _, l := range strings.Split(labels, ",") {
				k, err := verdict.ParseSignalKind(l)
				if err != nil {
					t.Fatalf("%s:%d: %v", path, n, err)
				}
				m.kinds = append(m.kinds, k)
			}
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func embeddedDetector(t testing.TB) *signals.Detector {
	t.Helper()
	d, err := signals.Load(safelink.Signals())
	if err != nil {
		t.Fatalf("the embedded patterns: %v", err)
	}
	return d
}

// The floors every kind must reach on each corpus.
const (
	minPrecision = 0.95
	minRecall    = 0.90
)

// TestCorpus runs the embedded patterns over the labelled messages and
// fails when a kind's precision or recall falls under its floor. Run it
// with -v for the figures and every message the patterns get wrong.
func TestCorpus(t *testing.T) {
	d := embeddedDetector(t)
	for _, file := range []string{"corpus.tsv", "heldout.tsv"} {
		t.Run(file, func(t *testing.T) {
			messages := readCorpus(t, "testdata/"+file)
			checkCorpus(t, d, file, messages)
		})
	}
}

func checkCorpus(t *testing.T, d *signals.Detector, file string, messages []labelled) {
	type tally struct{ labelled, found, right int }
	tallies := map[verdict.SignalKind]*tally{}
	for _, k := range verdict.SignalKinds {
		tallies[k] = &tally{}
	}
	for _, m := range messages {
		var found []verdict.SignalKind
		for _, s := range d.Detect(m.text) {
			if !slices.Contains(found, s.Kind) {
				found = append(found, s.Kind)
			}
		}
		for _, k := range verdict.SignalKinds {
			want, got := slices.Contains(m.kinds, k), slices.Contains(found, k)
			tl := tallies[k]
			if want {
				tl.labelled++
			}
			if got {
				tl.found++
			}
			switch {
			case want && got:
				tl.right++
			case want:
				t.Logf("%s:%d: missed %s: %s", file, m.line, k, m.text)
			case got:
				t.Logf("%s:%d: wrongly found %s: %s", file, m.line, k, m.text)
			}
		}
	}
	t.Logf("%s: %d messages", file, len(messages))
	t.Logf("%-22s %9s %6s %9s %6s", "kind", "precision", "", "recall", "")
	for _, k := range verdict.SignalKinds {
		tl := tallies[k]
		precision, recall := ratio(tl.right, tl.found), ratio(tl.right, tl.labelled)
		t.Logf("%-22s %9.3f %6s %9.3f %6s", k, precision, fraction(tl.right, tl.found), recall, fraction(tl.right, tl.labelled))
		if precision < minPrecision || recall < minRecall {
			t.Errorf("%s on %s: precision %.3f (floor %.2f), recall %.3f (floor %.2f)", k, file, precision, minPrecision, recall, minRecall)
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func fraction(a, b int) string { return fmt.Sprintf("%d/%d", a, b) }
