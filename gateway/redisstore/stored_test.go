package redisstore

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/redistest"
)

// A rule stored before its value was refused, an allow rule for a domain
// above a public suffix, still loads on a replica, beside the rules added
// since, and covers that owner's names only: never a bucket registered
// under the public suffix s3.amazonaws.com.
func TestRuleStoredBeforeItsValueWasRefused(t *testing.T) {
	c := newClient(t, redistest.Start(t))
	store := NewRules(c, RulesOptions{})
	old := rules.Rule{ID: "00112233445566ff", Match: rules.MatchDomain, Value: "amazonaws.com", Action: verdict.RuleAllow,
		Reason: "console links", CreatedBy: "alice", CreatedAt: time.Now().UTC().Add(-time.Hour)}
	raw, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.HSet(testCtx(t), store.all, old.ID, raw).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Add(testCtx(t), old); err == nil {
		t.Fatal("adding the rule again is accepted")
	}
	block := addBlock(t, store, "toko-palsu.com")

	syncer := rules.NewSyncer(store, rules.SyncerOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go syncer.Run(ctx)
	select {
	case <-syncer.Loaded():
	case <-time.After(10 * time.Second):
		t.Fatal("the rules did not load within 10s")
	}
	now := time.Now()
	for host, want := range map[string]string{
		"www.amazonaws.com":       old.ID,
		"bucket.s3.amazonaws.com": "",
		"toko-palsu.com":          block.ID,
	} {
		got, ok := syncer.Match(host, "https://"+host+"/", now)
		if got.ID != want || ok != (want != "") {
			t.Errorf("Match(%q) = %q %v, want %q", host, got.ID, ok, want)
		}
	}
}
