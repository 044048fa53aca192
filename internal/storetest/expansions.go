package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/expand"
)

// testExpansions checks the expansion cache: what one replica remembers
// another reads, each link under its own key, until its TTL.
func testExpansions(t *testing.T, open Open) {
	replica := open(t)
	a, b := replica().Expansions, replica().Expansions
	found := expand.Expansion{Chain: []string{"https://bit.ly/abc", "https://s.id/x", "https://promo-hadiah.xyz/klaim"}, Outcome: expand.Found}
	failed := expand.Expansion{Chain: []string{"https://bit.ly/def"}, Outcome: expand.Timeout}
	a.Put(ctx(t), found.Chain[0], found, time.Minute)
	a.Put(ctx(t), failed.Chain[0], failed, 100*time.Millisecond)
	got, ok := b.Get(ctx(t), found.Chain[0])
	if !ok || got.Outcome != found.Outcome || !slices.Equal(got.Chain, found.Chain) {
		t.Fatalf("another replica read %+v, %v; want %+v", got, ok, found)
	}
	if got, ok := b.Get(ctx(t), failed.Chain[0]); !ok || got.Outcome != expand.Timeout {
		t.Fatalf("a failure read back as %+v, %v", got, ok)
	}
	if got, ok := b.Get(ctx(t), "https://bit.ly/unknown"); ok {
		t.Fatalf("a link never expanded read back as %+v", got)
	}
	eventually(t, "the failure forgotten after its TTL", func() bool {
		_, ok := b.Get(ctx(t), failed.Chain[0])
		return !ok
	})
	if _, ok := a.Get(ctx(t), found.Chain[0]); !ok {
		t.Fatal("an expansion was forgotten before its TTL")
	}
}
