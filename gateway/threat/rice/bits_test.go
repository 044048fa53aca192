package rice

import (
	"encoding/hex"
	"math"
	"slices"
	"testing"
)

// TestBitReaderVectors reads the raw Rice-Golomb values of the published
// test vectors of Google's Safe Browsing clients: values, not deltas, so
// zero and unsorted values too.
func TestBitReaderVectors(t *testing.T) {
	tests := []struct {
		k    uint
		data string
		want []uint32
	}{
		{2, "f702", []uint32{15, 9}},
		{5, "00", []uint32{0}},
		{28, "bfa83ffbfcfb5e27e6c31dc638", []uint32{1777762129, 2093280223, 924369848}},
		{28, "54607be70a5fc1dcee69defe583ca3d6a5f2108c4a595600", []uint32{62763050, 1046523781, 192522171, 1800511020, 4442775, 582142548}},
		{27, "8998d875bc4491eb390c3e309a78f36ad4d9b19ffb703e443ea3086742c22b46698e3cebd9105a439a32a52d4e770f877820b6ab7198480c9e9ed7230c13432ca901",
			[]uint32{225846818, 328287420, 166748623, 29117720, 552397365, 350353215, 558267528, 4738273, 567093445, 28563065, 55077698, 73091685, 339246010, 98242620, 38060941, 63917830, 206319759, 137700744}},
		{28, "21c50291f982d757b8e93cf0c84fe8648d776204d6853f1c9700041b17c6", []uint32{339784008, 263128563, 63871877, 69723256, 826001074, 797300228, 671166008, 207712688}},
	}
	for _, tt := range tests {
		data, err := hex.DecodeString(tt.data)
		if err != nil {
			t.Fatal(err)
		}
		r := bitReader{data: data}
		var got []uint32
		for range tt.want {
			v, err := r.value(tt.k, math.MaxUint32)
			if err != nil {
				t.Fatalf("k=%d %s: value %d: %v", tt.k, tt.data, len(got), err)
			}
			got = append(got, v)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("k=%d %s: %v, want %v", tt.k, tt.data, got, tt.want)
		}
		// What is left are the zero bits that pad the last byte.
		if r.fill(); r.n >= 8 || r.buf != 0 {
			t.Errorf("k=%d %s: %d bits left over, %b", tt.k, tt.data, r.n, r.buf)
		}
	}
}
