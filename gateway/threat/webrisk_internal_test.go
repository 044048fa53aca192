package threat

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/blibli/safelink/gateway/threat/hashlist"
	"github.com/blibli/safelink/internal/fakewebrisk"
)

// checksum is the SHA-256 of prefixes concatenated in order.
func checksum(prefixes ...string) *webriskpb.ComputeThreatListDiffResponse_Checksum {
	h := sha256.New()
	for _, p := range prefixes {
		h.Write([]byte(p))
	}
	return &webriskpb.ComputeThreatListDiffResponse_Checksum{Sha256: h.Sum(nil)}
}

func TestApplyRawAndRiceDiffs(t *testing.T) {
	reset := &webriskpb.ComputeThreatListDiffResponse{
		ResponseType: webriskpb.ComputeThreatListDiffResponse_RESET,
		Additions:    &webriskpb.ThreatEntryAdditions{RawHashes: []*webriskpb.RawHashes{{PrefixSize: 4, RawHashes: []byte("aaaabbbbcccc")}}},
		Checksum:     checksum("aaaa", "bbbb", "cccc"),
	}
	list, err := apply(nil, reset)
	if err != nil || list.Len() != 3 {
		t.Fatalf("raw reset: %v entries, %v", list, err)
	}
	// Remove "bbbb" (index 1) and add "dddd", both Rice-coded.
	diff := &webriskpb.ComputeThreatListDiffResponse{
		ResponseType: webriskpb.ComputeThreatListDiffResponse_DIFF,
		Additions:    &webriskpb.ThreatEntryAdditions{RiceHashes: fakewebrisk.EncodePrefixes([]uint32{0x64646464})},
		Removals:     &webriskpb.ThreatEntryRemovals{RiceIndices: fakewebrisk.EncodeIndices([]int32{1})},
		Checksum:     checksum("aaaa", "cccc", "dddd"),
	}
	next, err := apply(list, diff)
	if err != nil || next.Len() != 3 {
		t.Fatalf("rice diff: %v, %v", next, err)
	}
	if _, ok := next.Match(sha256.Sum256(nil)); ok {
		t.Error("an unlisted hash matched")
	}
	raw := &webriskpb.ComputeThreatListDiffResponse{
		ResponseType: webriskpb.ComputeThreatListDiffResponse_DIFF,
		Removals:     &webriskpb.ThreatEntryRemovals{RawIndices: &webriskpb.RawIndices{Indices: []int32{0}}},
		Checksum:     checksum("cccc", "dddd"),
	}
	if last, err := apply(next, raw); err != nil || last.Len() != 2 {
		t.Fatalf("raw removal: %v, %v", last, err)
	}
}

func TestApplyRefusesWhatCannotBeApplied(t *testing.T) {
	loaded, err := (&hashlist.List{}).Apply(nil, []hashlist.Additions{{Size: 4, Data: []byte("aaaa")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		old  *hashlist.List
		resp *webriskpb.ComputeThreatListDiffResponse
		want error
	}{
		{"a diff without a list", nil, &webriskpb.ComputeThreatListDiffResponse{ResponseType: webriskpb.ComputeThreatListDiffResponse_DIFF, Checksum: checksum()}, hashlist.ErrBadDiff},
		{"no response type", loaded, &webriskpb.ComputeThreatListDiffResponse{Checksum: checksum("aaaa")}, hashlist.ErrBadDiff},
		{"no checksum", loaded, &webriskpb.ComputeThreatListDiffResponse{ResponseType: webriskpb.ComputeThreatListDiffResponse_DIFF}, hashlist.ErrBadDiff},
		{"a wrong checksum", loaded, &webriskpb.ComputeThreatListDiffResponse{ResponseType: webriskpb.ComputeThreatListDiffResponse_DIFF, Checksum: checksum("zzzz")}, hashlist.ErrChecksum},
		{"rice that does not decode", loaded, &webriskpb.ComputeThreatListDiffResponse{
			ResponseType: webriskpb.ComputeThreatListDiffResponse_DIFF,
			Additions:    &webriskpb.ThreatEntryAdditions{RiceHashes: &webriskpb.RiceDeltaEncoding{FirstValue: 1, RiceParameter: 40, EntryCount: 3, EncodedData: []byte{1}}},
			Checksum:     checksum("aaaa"),
		}, hashlist.ErrBadDiff},
		{"a removal out of range", loaded, &webriskpb.ComputeThreatListDiffResponse{
			ResponseType: webriskpb.ComputeThreatListDiffResponse_DIFF,
			Removals:     &webriskpb.ThreatEntryRemovals{RawIndices: &webriskpb.RawIndices{Indices: []int32{5}}},
			Checksum:     checksum(),
		}, hashlist.ErrBadDiff},
	}
	for _, tt := range tests {
		if _, err := apply(tt.old, tt.resp); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestNextUpdateFollowsTheServerWithinBounds(t *testing.T) {
	w := &WebRisk{cfg: WebRiskConfig{UpdatePeriod: 10 * time.Minute}}
	now := time.Now()
	tests := []struct {
		recommended *timestamppb.Timestamp
		want        time.Duration
	}{
		{nil, 10 * time.Minute},
		{timestamppb.New(now.Add(3 * time.Minute)), 3 * time.Minute},
		{timestamppb.New(now.Add(time.Hour)), 10 * time.Minute},
		{timestamppb.New(now.Add(time.Millisecond)), MinWebRiskUpdate},
		{timestamppb.New(now.Add(-time.Hour)), MinWebRiskUpdate},
	}
	for _, tt := range tests {
		resp := &webriskpb.ComputeThreatListDiffResponse{RecommendedNextDiff: tt.recommended}
		if got := w.nextUpdate(resp, now); got != tt.want {
			t.Errorf("recommended %v: next update in %v, want %v", tt.recommended.AsTime().Sub(now), got, tt.want)
		}
	}
	for range 100 {
		if d := jitter(10 * time.Minute); d > 10*time.Minute || d < 9*time.Minute {
			t.Fatalf("jitter(10m) = %v, want within the last tenth", d)
		}
	}
	if d := jitter(MinWebRiskUpdate); d != MinWebRiskUpdate {
		t.Errorf("jitter went under the least wait: %v", d)
	}
}

// FuzzDecodeDB checks that a saved database read from disk never panics
// the reader, and that what it accepts is what encodeDB writes.
func FuzzDecodeDB(f *testing.F) {
	w := &WebRisk{}
	for _, wire := range []webriskpb.ThreatType{webriskpb.ThreatType_MALWARE, webriskpb.ThreatType_SOCIAL_ENGINEERING} {
		l := &riskList{wire: wire}
		list, _ := (&hashlist.List{}).Apply(nil, []hashlist.Additions{{Size: 4, Data: []byte("aaaabbbb")}}, nil)
		l.state.Store(&listState{list: list, token: []byte("token"), updated: time.Unix(1_800_000_000, 0)})
		w.lists = append(w.lists, l)
	}
	f.Add(w.encodeDB())
	f.Add([]byte(webRiskDBMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		saved, err := decodeDB(b)
		if err != nil {
			return
		}
		back := &WebRisk{}
		for _, wire := range []webriskpb.ThreatType{1, 2, 3, 4} {
			if st, ok := saved[wire]; ok {
				l := &riskList{wire: wire}
				l.state.Store(st)
				back.lists = append(back.lists, l)
			}
		}
		if len(back.lists) != len(saved) {
			t.Fatalf("decodeDB accepted a list of an unknown type: %v", saved)
		}
		if again, err := decodeDB(back.encodeDB()); err != nil || len(again) != len(saved) {
			t.Fatalf("what decodeDB accepted does not write back: %v", err)
		}
	})
}
