package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/adminapi"
	"github.com/blibli/safelink/gateway/events"
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
