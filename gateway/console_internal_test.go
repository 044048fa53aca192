package gateway

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blibli/safelink/gateway/dismissals"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// A rule filter holds only values the page offers, and reads back the
// same from the query its own fields make.
func FuzzConsoleRuleFilter(f *testing.F) {
	for _, q := range []string{"", "action=block&match=domain&q=toko", "action=reported", "match=regex&q=%00%ff", "q=" + strings.Repeat("é", 300)} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		got := parseRuleFilter(q)
		if got.Action != "" && !slices.Contains(verdict.RuleActions, got.Action) || got.Match != "" && !slices.Contains(ruleKinds, got.Match) {
			t.Fatalf("%q: filter %+v holds a value the page does not offer", raw, got)
		}
		if !utf8.ValidString(got.Text) || utf8.RuneCountInString(got.Text) > maxFilterText || strings.TrimSpace(got.Text) != got.Text {
			t.Fatalf("%q: text %q is not trimmed valid UTF-8 of at most %d characters", raw, got.Text, maxFilterText)
		}
		again := parseRuleFilter(url.Values{"action": {string(got.Action)}, "match": {string(got.Match)}, "q": {got.Text}})
		if again != got {
			t.Fatalf("%q: %+v reads back as %+v", raw, got, again)
		}
	})
}

// An audit filter that parses has From before To, and reads back the same
// from the query its own fields make.
func FuzzConsoleAuditFilter(f *testing.F) {
	for _, q := range []string{"", "author=ayu&op=add", "from=2026-01-01&to=2026-01-02", "from=2026-01-01T10:00&to=2026-01-01T10:00",
		"from=2026-13-01", "op=expire&to=2026-02-28T23:59", "from=0000-01-01&to=9999-12-31"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		got, err := parseAuditFilter(q)
		if err != nil {
			return
		}
		if got.Op != "" && !slices.Contains(auditOps, got.Op) {
			t.Fatalf("%q: op %q is not one the page offers", raw, got.Op)
		}
		if !got.From.IsZero() && !got.To.IsZero() && !got.From.Before(got.To) {
			t.Fatalf("%q: from %v is not before to %v", raw, got.From, got.To)
		}
		format := func(tm interface{ IsZero() bool }, s string) string {
			if tm.IsZero() {
				return ""
			}
			return s
		}
		again, err := parseAuditFilter(url.Values{"author": {got.Author}, "op": {got.Op},
			"from": {format(got.From, got.From.Format(auditMinute))}, "to": {format(got.To, got.To.Format(auditMinute))}})
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("%q: %+v reads back as %+v (%v)", raw, got, again, err)
		}
	})
}

// A session payload parses only as a name and a session number that make
// it up again, and every new session parses back to its name.
func FuzzConsoleSession(f *testing.F) {
	for _, s := range []string{"", "secops", newSession("secops"), "a b", "secops " + strings.Repeat("0", 32) + " x", " " + strings.Repeat("f", 32)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, payload string) {
		if name, session, ok := parseSession(payload); ok && (name+" "+session != payload || name == "" || strings.Contains(name, " ")) {
			t.Fatalf("%q parses as %q and %q", payload, name, session)
		}
		name := strings.ReplaceAll(payload, " ", "")
		if name == "" {
			return
		}
		if got, _, ok := parseSession(newSession(name)); !ok || got != name {
			t.Fatalf("a new session of %q parses as %q, %v", name, got, ok)
		}
	})
}

// The chart's lines stay in its box: the first bucket at the left, the last
// at the right, the highest count at the top and zero at the bottom.
func TestChartLinesStayInTheirBox(t *testing.T) {
	rows := []overviewRow{{Counts: []int64{0, 5, 10, 0}}, {Counts: []int64{3, 0, 7, 1}}, {Counts: []int64{10, 1, 0, 2}}}
	lines := chartLines(rows, 10)
	want := map[verdict.Action]string{
		verdict.Actions[0]: "0,200 300,140 600,0",
		verdict.Actions[1]: "0,100 300,200 600,180",
		verdict.Actions[2]: "0,0 300,60 600,200",
		verdict.Actions[3]: "0,200 300,180 600,160",
	}
	for _, l := range lines {
		if l.Points != want[l.Action] {
			t.Errorf("%s: %q, want %q", l.Action, l.Points, want[l.Action])
		}
	}
	if one := chartLines(rows[:1], 0); one[0].Points != "0,200" {
		t.Errorf("one bucket without clicks: %q, want 0,200", one[0].Points)
	}
}

// The audit page merges the changes of the rules and of the dismissals,
// each newest first, into one list newest first, cut at the limit.
func TestMergeAuditKeepsTheNewestFirst(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	ruleChanges := []rules.Change{{Op: rules.OpRemove, Time: t0.Add(3 * time.Minute)}, {Op: rules.OpAdd, Time: t0}}
	dismissed := []dismissals.Change{{Op: dismissals.OpUndo, Time: t0.Add(4 * time.Minute)}, {Op: dismissals.OpDismiss, Time: t0.Add(time.Minute)}}
	var ops []string
	for _, e := range mergeAudit(ruleChanges, dismissed, 10) {
		ops = append(ops, e.Op())
	}
	if want := []string{"undo", "remove", "dismiss", "add"}; !slices.Equal(ops, want) {
		t.Errorf("merged %v, want %v", ops, want)
	}
	if got := mergeAudit(ruleChanges, dismissed, 3); len(got) != 3 || got[2].Dismissal == nil {
		t.Errorf("cut at 3: %+v, want the three newest", got)
	}
	if got := mergeAudit(nil, nil, 10); len(got) != 0 {
		t.Errorf("nothing merged into %+v", got)
	}
}
