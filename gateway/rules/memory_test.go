package rules

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

// The audit log of a MemoryStore is kept by time: a change drops the
// changes older than the retention, and keeps the others however many
// there are.
func TestMemoryAuditIsKeptByTime(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	m := NewMemoryStore(30 * 24 * time.Hour)
	m.now = func() time.Time { return now }
	ctx := context.Background()
	add := func(value string) Rule {
		t.Helper()
		r, err := m.Add(ctx, Rule{Match: MatchDomain, Value: value, Action: verdict.RuleBlock, Reason: "r", Author: "secops"})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	old := add("lama.example.com")
	now = now.Add(20 * 24 * time.Hour)
	for i := range 300 {
		add(fmt.Sprintf("site%d.example.com", i))
	}
	if audit, _ := m.Audit(ctx, 1000); len(audit) != 301 {
		t.Fatalf("20 days in, the audit has %d of 301 changes", len(audit))
	}
	now = now.Add(15 * 24 * time.Hour)
	if _, err := m.Remove(ctx, old.ID, Removal{Author: "secops", Why: "selesai"}); err != nil {
		t.Fatal(err)
	}
	audit, _ := m.Audit(ctx, 1000)
	if len(audit) != 301 || audit[0].Op != OpRemove || audit[300].Revision != 2 {
		t.Errorf("35 days in, the audit has %d changes, newest %+v, oldest %+v; want the 300 of day 20 and the removal",
			len(audit), audit[0], audit[len(audit)-1])
	}
}
