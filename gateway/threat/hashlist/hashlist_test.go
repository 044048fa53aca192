package hashlist

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"slices"
	"testing"
)

func prefixes(size int, values ...string) Additions {
	var data []byte
	for _, v := range values {
		p := make([]byte, size)
		copy(p, v)
		data = append(data, p...)
	}
	return Additions{Size: size, Data: data}
}

func entries(l *List) []string {
	var out []string
	for i := range l.Len() {
		out = append(out, string(l.at(i)))
	}
	return out
}

func sum(values ...string) []byte {
	h := sha256.New()
	for _, v := range values {
		h.Write([]byte(v))
	}
	return h.Sum(nil)
}

func TestApplyResetDiffAndChecksum(t *testing.T) {
	var empty List
	l, err := empty.Apply(nil, []Additions{prefixes(4, "dddd", "bbbb", "aaaa")}, sum("aaaa", "bbbb", "dddd"))
	if err != nil {
		t.Fatal(err)
	}
	if got := entries(l); !slices.Equal(got, []string{"aaaa", "bbbb", "dddd"}) {
		t.Fatalf("after the reset: %q", got)
	}
	// Remove "bbbb" (index 1), add "cccc" and a longer prefix.
	next, err := l.Apply([]int32{1}, []Additions{prefixes(4, "cccc"), prefixes(6, "aaaab!")}, sum("aaaa", "aaaab!", "cccc", "dddd"))
	if err != nil {
		t.Fatal(err)
	}
	if got := entries(next); !slices.Equal(got, []string{"aaaa", "aaaab!", "cccc", "dddd"}) {
		t.Fatalf("after the diff: %q", got)
	}
	if got := entries(l); !slices.Equal(got, []string{"aaaa", "bbbb", "dddd"}) {
		t.Errorf("Apply changed the list it was called on: %q", got)
	}
	if _, err := next.Apply(nil, nil, sum("wrong")); !errors.Is(err, ErrChecksum) {
		t.Errorf("a wrong checksum: %v, want ErrChecksum", err)
	}
}

func TestApplyRefusesMalformedDiffs(t *testing.T) {
	var empty List
	l, err := empty.Apply(nil, []Additions{prefixes(4, "aaaa", "bbbb")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		removals  []int32
		additions []Additions
		want      error
	}{
		{"index past the end", []int32{2}, nil, ErrBadDiff},
		{"negative index", []int32{-1}, nil, ErrBadDiff},
		{"index twice", []int32{0, 0}, nil, ErrBadDiff},
		{"prefix too short", nil, []Additions{{Size: 3, Data: []byte("abc")}}, ErrBadDiff},
		{"prefix too long", nil, []Additions{{Size: 33, Data: make([]byte, 33)}}, ErrBadDiff},
		{"partial prefix", nil, []Additions{{Size: 4, Data: []byte("abcde")}}, ErrBadDiff},
		{"added twice", nil, []Additions{prefixes(4, "cccc", "cccc")}, ErrBadDiff},
		{"already listed", nil, []Additions{prefixes(4, "bbbb")}, ErrBadDiff},
	}
	for _, tt := range tests {
		if _, err := l.Apply(tt.removals, tt.additions, nil); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestMatchFindsAnyListedPrefix(t *testing.T) {
	full := sha256.Sum256([]byte("malware.example/"))
	other := sha256.Sum256([]byte("clean.example/"))
	var empty List
	l, err := empty.Apply(nil, []Additions{{Size: 4, Data: full[:4]}, {Size: 8, Data: other[:8]}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := l.Match(full); !ok || !bytes.Equal(p, full[:4]) {
		t.Errorf("Match(listed) = %x, %v", p, ok)
	}
	if p, ok := l.Match(other); !ok || !bytes.Equal(p, other[:8]) {
		t.Errorf("Match(8-byte listed) = %x, %v", p, ok)
	}
	if _, ok := l.Match(sha256.Sum256([]byte("nothing.example/"))); ok {
		t.Error("an unlisted hash matched")
	}
	if _, ok := empty.Match(full); ok {
		t.Error("the empty list matched")
	}
}

func TestBinaryRoundTripAndCorruption(t *testing.T) {
	var empty List
	l, err := empty.Apply(nil, []Additions{prefixes(4, "aaaa", "cccc"), prefixes(5, "bbbbb")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := l.AppendBinary([]byte("head"))
	got, rest, err := Parse(append(b[4:], "tail"...))
	if err != nil || string(rest) != "tail" || !slices.Equal(entries(got), entries(l)) || got.Checksum() != l.Checksum() {
		t.Fatalf("round trip: %q, rest %q, %v", entries(got), rest, err)
	}
	for i := range len(b) - 4 {
		if _, _, err := Parse(b[4 : 4+i]); err == nil {
			t.Errorf("a list cut at byte %d parsed", i)
		}
	}
	for _, bad := range [][]byte{
		{2, 4, 'b', 'b', 'b', 'b', 4, 'a', 'a', 'a', 'a'},            // out of order
		{2, 4, 'a', 'a', 'a', 'a', 4, 'a', 'a', 'a', 'a'},            // repeated
		{1, 3, 'a', 'a', 'a'},                                        // too short a prefix
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, // huge count
	} {
		if _, _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%x) accepted a corrupt list", bad)
		}
	}
}

// model is a plain reference implementation: a sorted slice of strings.
func model(old []string, removals []int32, adds []string) []string {
	drop := map[int32]bool{}
	for _, r := range removals {
		drop[r] = true
	}
	var out []string
	for i, e := range old {
		if !drop[int32(i)] {
			out = append(out, e)
		}
	}
	out = append(out, adds...)
	slices.Sort(out)
	return out
}

// FuzzApply holds Apply to the model: any list, any valid removals and
// additions give the model's sorted set and its checksum, and the result
// survives a save and a load.
func FuzzApply(f *testing.F) {
	f.Add([]byte("aaaabbbbccccdddd"), []byte{1, 3}, []byte("eeeeffff00001111"), uint8(4))
	f.Add([]byte("abcdefgh"), []byte{0}, []byte("zzzzzzzz"), uint8(8))
	f.Fuzz(func(t *testing.T, initial, removeAt, added []byte, size uint8) {
		var empty List
		first := dedupe(chunks(initial, 4))
		base, err := empty.Apply(nil, []Additions{{Size: 4, Data: []byte(joinAll(first))}}, nil)
		if err != nil {
			t.Fatalf("building the base list: %v", err)
		}
		var removals []int32
		seen := map[int32]bool{}
		for _, r := range removeAt {
			if base.Len() > 0 && !seen[int32(int(r)%base.Len())] {
				i := int32(int(r) % base.Len())
				seen[i] = true
				removals = append(removals, i)
			}
		}
		s := int(size%(MaxPrefixSize-MinPrefixSize+1)) + MinPrefixSize
		var adds []string
		for _, a := range dedupe(chunks(added, s)) {
			if !slices.Contains(first, a) {
				adds = append(adds, a)
			}
		}
		want := model(first, removals, adds)
		got, err := base.Apply(removals, []Additions{{Size: s, Data: []byte(joinAll(adds))}}, sum(want...))
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}
		if !slices.Equal(entries(got), want) {
			t.Fatalf("Apply gave %q, want %q", entries(got), want)
		}
		b, _ := got.AppendBinary(nil)
		back, rest, err := Parse(b)
		if err != nil || len(rest) != 0 || !slices.Equal(entries(back), want) {
			t.Fatalf("save and load: %q, %v", entries(back), err)
		}
	})
}

// FuzzParse checks that a saved list is read back only when it is well
// formed, and then writes back to the same bytes.
func FuzzParse(f *testing.F) {
	f.Add([]byte{2, 4, 'a', 'a', 'a', 'a', 4, 'b', 'b', 'b', 'b'})
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, b []byte) {
		l, rest, err := Parse(b)
		if err != nil {
			return
		}
		again, _ := l.AppendBinary(nil)
		if !bytes.Equal(append(again, rest...), b) {
			t.Fatalf("Parse(%x) then AppendBinary gave %x", b, again)
		}
	})
}

func chunks(b []byte, size int) []string {
	var out []string
	for i := 0; i+size <= len(b); i += size {
		out = append(out, string(b[i:i+size]))
	}
	return out
}

func dedupe(values []string) []string {
	slices.Sort(values)
	return slices.Compact(values)
}

func joinAll(values []string) string {
	var b bytes.Buffer
	for _, v := range values {
		b.WriteString(v)
	}
	return b.String()
}
