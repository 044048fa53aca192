package fakewebrisk

import (
	"bytes"
	"testing"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
)

func TestRiceParameter(t *testing.T) {
	tests := []struct {
		values []uint32
		want   int32
	}{
		{nil, 2},
		{[]uint32{7}, 2},
		{[]uint32{1, 2, 3}, 2},
		{[]uint32{0, 4096, 8192}, 12},
		{[]uint32{0, 8191}, 12},
		{[]uint32{0, 0xffffffff}, 28},
	}
	for _, tt := range tests {
		if got := RiceParameter(tt.values); got != tt.want {
			t.Errorf("RiceParameter(%v) = %d, want %d", tt.values, got, tt.want)
		}
	}
}

func TestEncodeRice(t *testing.T) {
	tests := []struct {
		name   string
		values []uint32
		k      int32
		want   *webriskpb.RiceDeltaEncoding
	}{
		{"nothing", nil, 2, nil},
		{"one value, no parameter", []uint32{9}, 5, &webriskpb.RiceDeltaEncoding{FirstValue: 9}},
		// 15 = 3<<2 + 3: 1110 11; 9 = 2<<2 + 1: 110 10, from the lowest bit on.
		{"two deltas", []uint32{5, 20, 29}, 2, &webriskpb.RiceDeltaEncoding{FirstValue: 5, RiceParameter: 2, EntryCount: 2, EncodedData: []byte{0xf7, 0x02}}},
		// A quotient of 40 ones spans bytes and write calls.
		{"long quotient", []uint32{0, 160}, 2, &webriskpb.RiceDeltaEncoding{RiceParameter: 2, EntryCount: 1, EncodedData: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0x00}}},
	}
	for _, tt := range tests {
		got := EncodeRice(tt.values, tt.k)
		if (got == nil) != (tt.want == nil) || got.GetFirstValue() != tt.want.GetFirstValue() || got.GetRiceParameter() != tt.want.GetRiceParameter() ||
			got.GetEntryCount() != tt.want.GetEntryCount() || !bytes.Equal(got.GetEncodedData(), tt.want.GetEncodedData()) {
			t.Errorf("%s: EncodeRice(%v, %d) = %v, want %v", tt.name, tt.values, tt.k, got, tt.want)
		}
	}
}

func TestEncodePrefixesReadsThemLittleEndian(t *testing.T) {
	// Prefixes 01 00 00 00 and 00 00 00 02, in byte order: as little-endian
	// numbers 1 and 0x02000000.
	got := EncodePrefixes([]uint32{0x00000002, 0x01000000})
	if got.GetFirstValue() != 1 || got.GetEntryCount() != 1 {
		t.Errorf("EncodePrefixes = %v, want first value 1 and one delta", got)
	}
}
