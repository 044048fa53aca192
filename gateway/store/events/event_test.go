package events

import (
	"strings"
	"testing"
	"unicode/utf8"
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
	if _, err := NewHasher([]byte("short")); err == nil {
		t.Error("NewHasher accepted a 5-byte salt")
	}
	a, _ := NewHasher([]byte("0123456789abcdef"))
	b, _ := NewHasher([]byte("fedcba9876543210"))
	h := a.Hash("203.0.113.9")
	switch {
	case len(h) != 32 || strings.Trim(h, "0123456789abcdef") != "":
		t.Errorf("hash %q is not 32 hex digits", h)
	case h != a.Hash("203.0.113.9"):
		t.Error("the same input hashed differently")
	case h == a.Hash("203.0.113.10"):
		t.Error("two inputs share a hash")
	case h == b.Hash("203.0.113.9"):
		t.Error("two salts give the same hash")
	case strings.Contains(h, "203"):
		t.Error("the hash shows its input")
	case a.Hash("") != "":
		t.Error("an empty id has a hash")
	}
}
