package storetest

import (
	"errors"
	"testing"

	"github.com/blibli/safelink/gateway/rules"
)

// testSince checks that the audit log tells the changes after a revision,
// in order, and refuses a revision the store has not reached.
func testSince(t *testing.T, open Open) {
	s := open(t)().Rules
	if missed, err := s.Since(ctx(t), 0); err != nil || len(missed) != 0 {
		t.Fatalf("Since(0) on an empty store: %+v, %v", missed, err)
	}
	a := add(t, s, blockRule("a.example.com"))
	add(t, s, blockRule("b.example.com"))
	if _, err := s.Remove(ctx(t), a.ID, rules.Removal{Author: "budi", Why: "resolved"}); err != nil {
		t.Fatal(err)
	}
	for after := range uint64(4) {
		missed, err := s.Since(ctx(t), after)
		if err != nil || len(missed) != int(3-after) {
			t.Fatalf("Since(%d): %d changes, %v; want %d", after, len(missed), err, 3-after)
		}
		for i, c := range missed {
			if c.Revision != after+1+uint64(i) {
				t.Fatalf("Since(%d): change %d has revision %d", after, i, c.Revision)
			}
		}
	}
	if missed, _ := s.Since(ctx(t), 2); missed[0].Op != rules.OpRemove || missed[0].Rule.ID != a.ID || missed[0].Author != "budi" {
		t.Errorf("Since(2): %+v, want the removal of %s by budi", missed[0], a.ID)
	}
	if _, err := s.Since(ctx(t), 4); !errors.Is(err, rules.ErrChangesGone) {
		t.Errorf("Since(4) at revision 3: %v, want ErrChangesGone", err)
	}
}
