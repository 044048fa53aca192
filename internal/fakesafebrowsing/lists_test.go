package fakesafebrowsing

import (
	"bytes"
	"crypto/sha256"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blibli/safelink/gateway/verdict"
)

func TestNewListSortsAndChecksums(t *testing.T) {
	l := newList([]uint32{0x05060708, 0x01020304, 0x05060708})
	want := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	if !bytes.Equal(l.raw, want) {
		t.Errorf("raw = %x, want %x", l.raw, want)
	}
	if l.sum != sha256.Sum256(want) {
		t.Errorf("checksum = %x, want SHA-256 of the sorted prefixes", l.sum)
	}
}

func TestAddRandomAddsExactlyNUniquePrefixes(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 200000} {
		got := addRandom([]uint32{7, 7, 3}, n, rand.New(rand.NewPCG(1, 1)))
		if len(got) != 2+n {
			t.Errorf("addRandom(n=%d) has %d prefixes, want %d", n, len(got), 2+n)
		}
		for i := 1; i < len(got); i++ {
			if got[i-1] >= got[i] {
				t.Fatalf("addRandom(n=%d) is not sorted and unique at %d", n, i)
			}
		}
	}
}

func TestBuildLists(t *testing.T) {
	entries := []Entry{
		{Type: verdict.ThreatMalware, Expression: "malware.example/"},
		{Type: verdict.ThreatMalware, Expression: "malware.example/"},
		{Type: verdict.ThreatSocialEngineering, Expression: "malware.example/"},
	}
	lists, hashes, err := buildLists(entries, 10, verdict.ThreatUnwantedSoftware, 1)
	if err != nil {
		t.Fatal(err)
	}
	prefixes := func(t verdict.Threat) int { return len(lists[wireThreatTypes[t]].raw) / prefixSize }
	for typ, want := range map[verdict.Threat]int{
		verdict.ThreatMalware:            1,
		verdict.ThreatSocialEngineering:  1,
		verdict.ThreatUnwantedSoftware:   10,
		verdict.ThreatHarmfulApplication: 0,
	} {
		if got := prefixes(typ); got != want {
			t.Errorf("list %s has %d prefixes, want %d", typ, got, want)
		}
	}
	h := sha256.Sum256([]byte("malware.example/"))
	if got := len(hashes[[prefixSize]byte(h[:prefixSize])]); got != 2 {
		t.Errorf("prefix of malware.example/ has %d full hashes, want 2 (one per list)", got)
	}
}

func TestBuildListsRejects(t *testing.T) {
	if _, _, err := buildLists(nil, -1, verdict.ThreatMalware, 1); err == nil {
		t.Error("buildLists accepted -1 random prefixes")
	}
	if _, _, err := buildLists(nil, 1, "virus", 1); err == nil {
		t.Error("buildLists accepted random prefixes for an unknown type")
	}
	if _, _, err := buildLists([]Entry{{Type: "virus", Expression: "a.example/"}}, 0, verdict.ThreatMalware, 1); err == nil {
		t.Error("buildLists accepted an entry of an unknown type")
	}
}

func TestRandomPrefixes(t *testing.T) {
	got, err := RandomPrefixes(1000, 7)
	if err != nil || len(got) != 1000 || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != 1000 {
		t.Errorf("RandomPrefixes(1000, 7) = %d prefixes, %v; want 1000 sorted and unique", len(got), err)
	}
	if again, _ := RandomPrefixes(1000, 7); !slices.Equal(again, got) {
		t.Error("RandomPrefixes with the same seed gave other prefixes")
	}
	if _, err := RandomPrefixes(-1, 7); err == nil {
		t.Error("RandomPrefixes accepted -1")
	}
}
