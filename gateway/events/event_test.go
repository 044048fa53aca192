package events

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blibli/safelink/gateway/verdict"
)

func TestClip(t *testing.T) {
	tests := []struct {
		name string
		in   Event
		want func(Event) bool
	}{
		{"short stays", Event{Site: "a.example", Comment: "ok"}, func(e Event) bool { return e.Site == "a.example" && e.Comment == "ok" }},
		{"invalid UTF-8 replaced", Event{Comment: "a\xffb"}, func(e Event) bool { return e.Comment == "a\uFFFDb" }},
		{"comment cut by characters", Event{Comment: strings.Repeat("é", MaxCommentLength+1)}, func(e Event) bool {
			return utf8.RuneCountInString(e.Comment) == MaxCommentLength && utf8.ValidString(e.Comment)
		}},
		{"site cut on a character boundary", Event{Site: strings.Repeat("ü", MaxFieldLength)}, func(e Event) bool {
			return len(e.Site) <= MaxFieldLength && utf8.ValidString(e.Site)
		}},
		{"reasons bounded", Event{Reasons: make([]string, MaxReasons+1)}, func(e Event) bool { return len(e.Reasons) == MaxReasons }},
		{"signals bounded", Event{Signals: make([]verdict.SignalKind, 3*len(verdict.SignalKinds))}, func(e Event) bool { return len(e.Signals) == len(verdict.SignalKinds) }},
		{"signal cut", Event{Signals: []verdict.SignalKind{verdict.SignalKind(strings.Repeat("x", MaxFieldLength+9))}}, func(e Event) bool { return len(e.Signals[0]) == MaxFieldLength }},
	}
	for _, tt := range tests {
		if got := tt.in.Clip(); !tt.want(got) {
			t.Errorf("%s: Clip gave %+v", tt.name, got)
		}
	}
	reasons := []string{strings.Repeat("x", MaxFieldLength+1)}
	(Event{Reasons: reasons}).Clip()
	if len(reasons[0]) != MaxFieldLength+1 {
		t.Error("Clip changed the caller's reasons")
	}
}

func TestHasher(t *testing.T) {
	now := time.Now()
	if _, err := NewHasher([]byte("short")); err == nil {
		t.Error("NewHasher accepted a 5-byte salt")
	}
	a, _ := NewHasher([]byte("0123456789abcdef"))
	b, _ := NewHasher([]byte("fedcba9876543210"))
	h := a.Hash("203.0.113.9", now)
	switch {
	case len(h) != 32 || strings.Trim(h, "0123456789abcdef") != "":
		t.Errorf("hash %q is not 32 hex digits", h)
	case h != a.Hash("203.0.113.9", now):
		t.Error("the same input hashed differently")
	case h == a.Hash("203.0.113.10", now):
		t.Error("two inputs share a hash")
	case h == b.Hash("203.0.113.9", now):
		t.Error("two salts give the same hash")
	case strings.Contains(h, "203"):
		t.Error("the hash shows its input")
	case a.Hash("", now) != "":
		t.Error("an empty id has a hash")
	}
}

// The pseudonyms of every replica and every release must agree: a hash is
// the first half of HMAC-SHA256 keyed with the salt, in hex, whatever the
// length of the identifier.
func TestHashIsTheFirstHalfOfHMACSHA256(t *testing.T) {
	salt := []byte("0123456789abcdef")
	h, _ := NewHasher(salt)
	now := time.Now()
	for _, id := range []string{"203.0.113.9", "2001:db8::1", strings.Repeat("user-", 30)} {
		mac := hmac.New(sha256.New, salt)
		mac.Write([]byte(id))
		want := hex.EncodeToString(mac.Sum(nil)[:16])
		for range 3 { // pooled states must start clean each time
			if got := h.Hash(id, now); got != want {
				t.Errorf("Hash(%q) = %s, want %s", id, got, want)
			}
		}
	}
}

func TestHasherMemoryStaysBounded(t *testing.T) {
	salt := []byte("0123456789abcdef")
	h, _ := NewHasher(salt)
	now := time.Now()
	first := h.Hash("10.0.0.0", now)
	for i := range 3 * hasherMemory {
		h.Hash(fmt.Sprintf("10.0.%d.%d", i/256, i%256), now)
	}
	if h.memory.Load().recent.Len() > hasherMemory {
		t.Errorf("the hasher remembers %d pseudonyms, at most %d wanted", h.memory.Load().recent.Len(), hasherMemory)
	}
	if again := h.Hash("10.0.0.0", now); again != first {
		t.Errorf("the hash of 10.0.0.0 changed from %s to %s once forgotten", first, again)
	}
	h.Hash(strings.Repeat("u", maxRememberedID+1), now)
	if _, ok := h.memory.Load().recent.Get(strings.Repeat("u", maxRememberedID+1)); ok {
		t.Error("a long identifier was remembered")
	}
}

// A rotating Hasher gives an identifier the same pseudonym within a
// period and another in the next one, so that a person's events are not
// linked across days.
func TestRotatingHasherChangesPseudonymsEachPeriod(t *testing.T) {
	if _, err := NewRotatingHasher([]byte("0123456789abcdef"), -time.Hour); err == nil {
		t.Error("a negative rotation period was accepted")
	}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	h, err := NewRotatingHasher([]byte("0123456789abcdef"), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	morning := h.Hash("203.0.113.9", now)
	now = now.Add(13 * time.Hour) // 23:00 the same UTC day
	if evening := h.Hash("203.0.113.9", now); evening != morning {
		t.Errorf("the pseudonym changed within a day: %s then %s", morning, evening)
	}
	now = now.Add(2 * time.Hour) // 01:00 the next day
	next := h.Hash("203.0.113.9", now)
	if next == morning {
		t.Error("the pseudonym stayed the same the next day")
	}
	if h.Hash("203.0.113.10", now) == next {
		t.Error("two addresses share a pseudonym")
	}
	fixed, _ := NewHasher([]byte("0123456789abcdef"))
	if fixed.Hash("203.0.113.9", now) == next {
		t.Error("a rotating pseudonym equals the fixed one")
	}
}
