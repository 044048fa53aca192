package fakewebrisk

import (
	"slices"
	"testing"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name     string
		from, to []uint32
		added    []uint32
		removed  []int32
	}{
		{"nothing", nil, nil, nil, nil},
		{"same", []uint32{1, 5}, []uint32{1, 5}, nil, nil},
		{"all new", nil, []uint32{1, 5}, []uint32{1, 5}, nil},
		{"all gone", []uint32{1, 5}, nil, nil, []int32{0, 1}},
		{"mixed", []uint32{1, 3, 5, 7}, []uint32{0, 3, 6, 7, 9}, []uint32{0, 6, 9}, []int32{0, 2}},
	}
	for _, tt := range tests {
		added, removed := diff(tt.from, tt.to)
		if !slices.Equal(added, tt.added) || !slices.Equal(removed, tt.removed) {
			t.Errorf("%s: diff = %v, %v; want %v, %v", tt.name, added, removed, tt.added, tt.removed)
		}
	}
}

func TestListVersions(t *testing.T) {
	e := Entry{Type: webriskpb.ThreatType_MALWARE, Expression: "malware.example/"}
	l := newList(webriskpb.ThreatType_MALWARE, []uint32{10, 20}, []Entry{e, {Type: webriskpb.ThreatType_UNWANTED_SOFTWARE, Expression: "other.example/"}})
	first := l.latest()
	if len(first.prefixes) != 3 {
		t.Fatalf("version 1 has %d prefixes, want the 2 random ones and the entry's", len(first.prefixes))
	}
	if got := string(l.token(first)); got != "MALWARE/1" {
		t.Errorf("token = %q, want MALWARE/1", got)
	}
	for _, token := range []string{"", "MALWARE/2", "SOCIAL_ENGINEERING/1", "MALWARE/x", "MALWARE"} {
		if l.find([]byte(token)) != nil {
			t.Errorf("find(%q) found a version", token)
		}
	}
	delete(l.entries, e.Hash())
	l.changed()
	if got := l.latest(); got.number != 2 || !slices.Equal(got.prefixes, []uint32{10, 20}) {
		t.Errorf("version after the removal: %d %v, want 2 [10 20]", got.number, got.prefixes)
	}
	if l.find([]byte("MALWARE/1")) != first {
		t.Error("version 1 was forgotten after one change")
	}
	for range keptVersions {
		l.changed()
	}
	if l.find([]byte("MALWARE/1")) != nil || len(l.versions) != keptVersions {
		t.Errorf("%d versions kept, version 1 among them; want the last %d", len(l.versions), keptVersions)
	}
}
