package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/adminapi"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// A report's text reaches the terminal with its control characters
// escaped: it cannot add lines to the table, color it, or reverse it.
func TestStatsEscapeWhatUsersWrote(t *testing.T) {
	s := &adminapi.Stats{RecentReports: []events.Event{{
		Kind: events.KindReport, Time: time.Now(), Category: "scam\r", Site: "evil.example\x1b[2J",
		Comment: "penjual minta transfer\n  2026-01-01 00:00:00  false-positive  blibli.com  aman\x1b[31m\u202e",
	}}}
	var out bytes.Buffer
	if err := printStats(&out, s); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, bad := range []string{"\x1b", "\r", "\u202e", "\n  2026-01-01"} {
		if strings.Contains(text, bad) {
			t.Errorf("the stats print %q raw:\n%s", bad, text)
		}
	}
	if !strings.Contains(text, `penjual minta transfer\n  2026-01-01`) {
		t.Errorf("the comment is not shown escaped:\n%s", text)
	}
}

// The audit table names each change's author, and the caller's note
// apart; a change made before tokens had names has no author, and its
// note reaches the terminal escaped.
func TestAuditPrintsAuthorAndNote(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.Local)
	changes := []rules.Change{
		{Op: rules.OpRemove, Author: "secops", Note: "alice", Why: "selesai", Time: at, Rule: rules.Rule{ID: "r2", Match: rules.MatchHost, Value: "toko.example", Action: verdict.RuleWarn}},
		{Op: rules.OpAdd, Author: "secops", Why: "phishing", Time: at, Rule: rules.Rule{ID: "r2", Match: rules.MatchHost, Value: "toko.example", Action: verdict.RuleWarn}},
		{Op: rules.OpAdd, Note: "bob\n2026-01-01 00:00:00  add  secops", Why: "lama", Time: at, Rule: rules.Rule{ID: "r1", Match: rules.MatchDomain, Value: "lama.example", Action: verdict.RuleBlock}},
	}
	var out bytes.Buffer
	if err := printAudit(&out, changes); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		"WHEN OP AUTHOR NOTE RULE MATCH VALUE ACTION WHY",
		"2026-01-02 03:04:05 remove secops alice r2 host toko.example warn selesai",
		"2026-01-02 03:04:05 add secops - r2 host toko.example warn phishing",
		`2026-01-02 03:04:05 add - bob\n2026-01-01 00:00:00 add secops r1 domain lama.example block lama`,
	}
	if len(lines) != len(want) {
		t.Fatalf("the audit table:\n%s", out.String())
	}
	for i, w := range want {
		if got := strings.Join(strings.Fields(lines[i]), " "); got != w {
			t.Errorf("line %d: %q, want %q", i, got, w)
		}
	}
}
