package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

func blockRule(value string) rules.Rule {
	return rules.Rule{Match: rules.MatchDomain, Value: value, Action: verdict.RuleBlock, Reason: "phishing", Author: "secops", CreatedBy: "sec-oncall"}
}

func add(t *testing.T, s rules.Store, r rules.Rule) rules.Rule {
	t.Helper()
	added, err := s.Add(ctx(t), r)
	if err != nil {
		t.Fatalf("Add(%s %s): %v", r.Match, r.Value, err)
	}
	return added
}

func testRules(t *testing.T, open Open) {
	replica := open(t)
	a, b := replica(), replica()

	before := time.Now()
	added := add(t, a.Rules, rules.Rule{Match: rules.MatchDomain, Value: "Evil.Example.COM", Action: verdict.RuleWarn,
		Reason: " lookalike shop ", Author: "secops", CreatedBy: "ana", ExpiresAt: time.Now().Add(time.Hour)})
	if added.ID == "" || added.Value != "evil.example.com" || added.Reason != "lookalike shop" ||
		added.CreatedAt.Before(before.Add(-time.Second)) || added.CreatedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("Add returned %+v", added)
	}
	second := add(t, a.Rules, blockRule("scam.example.com"))

	snap, err := b.Rules.List(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Rules) != 2 || snap.Revision != 2 {
		t.Fatalf("the other replica lists %d rules at revision %d, want 2 at 2", len(snap.Rules), snap.Revision)
	}
	i := slices.IndexFunc(snap.Rules, func(r rules.Rule) bool { return r.ID == added.ID })
	if i < 0 || !sameRule(snap.Rules[i], added) {
		t.Errorf("listed %+v, want %+v", snap.Rules, added)
	}

	removed, err := b.Rules.Remove(ctx(t), added.ID, rules.Removal{Author: "budi", Why: "false positive"})
	if err != nil || !sameRule(removed, added) {
		t.Fatalf("Remove = %+v, %v", removed, err)
	}
	if _, err := a.Rules.Remove(ctx(t), added.ID, rules.Removal{Author: "budi", Why: "again"}); !errors.Is(err, rules.ErrNotFound) {
		t.Errorf("removing it twice: %v, want ErrNotFound", err)
	}
	if _, err := a.Rules.Remove(ctx(t), second.ID, rules.Removal{Note: "budi", Why: "why"}); err == nil {
		t.Error("Remove without an author succeeded")
	}
	anonymous := blockRule("anonymous.example.com")
	anonymous.Author = ""
	if _, err := a.Rules.Add(ctx(t), anonymous); err == nil {
		t.Error("Add accepted a rule without an author")
	}
	if _, err := a.Rules.Add(ctx(t), blockRule("github.io")); err == nil {
		t.Error("Add accepted a public suffix")
	}
	past := blockRule("late.example.com")
	past.ExpiresAt = time.Now().Add(-time.Minute)
	if _, err := a.Rules.Add(ctx(t), past); err == nil {
		t.Error("Add accepted an expired rule")
	}
	if snap, _ := a.Rules.List(ctx(t)); len(snap.Rules) != 1 || snap.Rules[0].ID != second.ID || snap.Revision != 3 {
		t.Errorf("after removal and refusals: %+v", snap)
	}

	brief := blockRule("brief.example.com")
	brief.ExpiresAt = time.Now().Add(time.Hour)
	brief = add(t, a.Rules, brief)
	later := time.Now().Add(2 * time.Hour)
	changes, err := a.Rules.RemoveExpired(ctx(t), later)
	if err != nil || len(changes) != 1 || changes[0].Op != rules.OpExpire || changes[0].Rule.ID != brief.ID || changes[0].Author != rules.ExpiryAuthor {
		t.Fatalf("RemoveExpired = %+v, %v", changes, err)
	}
	if again, err := b.Rules.RemoveExpired(ctx(t), later); err != nil || len(again) != 0 {
		t.Errorf("a second replica removed it again: %+v, %v", again, err)
	}
}

// sameRule compares rules, times by instant.
func sameRule(a, b rules.Rule) bool {
	return a.ID == b.ID && a.Match == b.Match && a.Value == b.Value && a.Action == b.Action &&
		a.Reason == b.Reason && a.Author == b.Author && a.CreatedBy == b.CreatedBy &&
		a.CreatedAt.Equal(b.CreatedAt) && a.ExpiresAt.Equal(b.ExpiresAt)
}

func testAudit(t *testing.T, open Open) {
	s := open(t)().Rules
	var want []rules.Change
	for i := range 5 {
		r := add(t, s, blockRule(fmt.Sprintf("site%d.example.com", i)))
		want = append(want, rules.Change{Op: rules.OpAdd, Rule: r, Author: "secops", Note: "sec-oncall", Why: r.Reason})
	}
	r, err := s.Remove(ctx(t), want[2].Rule.ID, rules.Removal{Author: "budi", Note: "for ana", Why: "resolved"})
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, rules.Change{Op: rules.OpRemove, Rule: r, Author: "budi", Note: "for ana", Why: "resolved"})
	expiring := blockRule("expiring.example.com")
	expiring.ExpiresAt = time.Now().Add(time.Hour)
	expiring = add(t, s, expiring)
	want = append(want, rules.Change{Op: rules.OpAdd, Rule: expiring, Author: "secops", Note: "sec-oncall", Why: expiring.Reason})
	if _, err := s.RemoveExpired(ctx(t), expiring.ExpiresAt); err != nil {
		t.Fatal(err)
	}
	want = append(want, rules.Change{Op: rules.OpExpire, Rule: expiring, Author: rules.ExpiryAuthor})

	got, err := s.Audit(ctx(t), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("audit has %d changes, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[len(got)-1-i] // newest first
		if g.Revision != uint64(i+1) || g.Op != w.Op || !sameRule(g.Rule, w.Rule) || g.Author != w.Author || g.Note != w.Note ||
			(w.Why != "" && g.Why != w.Why) || g.Why == "" || g.Time.IsZero() {
			t.Errorf("audit entry %d = %+v, want %+v at revision %d", i, g, w, i+1)
		}
	}
	if latest, _ := s.Audit(ctx(t), 2); len(latest) != 2 || latest[0].Revision != 8 {
		t.Errorf("Audit(2) = %+v, want the two newest", latest)
	}
}

func testWatch(t *testing.T, open Open) {
	replica := open(t)
	watcher, writer := replica(), replica()
	wctx, cancel := context.WithCancel(context.Background())
	notices := watcher.Rules.Watch(wctx)
	next := func() rules.Notice {
		t.Helper()
		select {
		case n := <-notices:
			return n
		case <-time.After(5 * time.Second):
			t.Fatal("no notice within 5s")
		}
		return rules.Notice{}
	}
	if n := next(); !n.Resync {
		t.Fatalf("first notice %+v, want a Resync", n)
	}
	r := add(t, writer.Rules, blockRule("watched.example.com"))
	if n := next(); n.Change == nil || n.Change.Op != rules.OpAdd || n.Change.Revision != 1 || !sameRule(n.Change.Rule, r) {
		t.Fatalf("notice %+v, want the addition", n)
	}
	if _, err := writer.Rules.Remove(ctx(t), r.ID, rules.Removal{Author: "budi", Why: "done"}); err != nil {
		t.Fatal(err)
	}
	if n := next(); n.Change == nil || n.Change.Op != rules.OpRemove || n.Change.Revision != 2 || n.Change.Rule.ID != r.ID {
		t.Fatalf("notice %+v, want the removal", n)
	}
	cancel()
	for range notices { // closed once the watch ends
	}
}
