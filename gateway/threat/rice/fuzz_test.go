package rice_test

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
	"github.com/blibli/safelink/gateway/threat/rice"
	"github.com/blibli/safelink/internal/fakesafebrowsing"
	"github.com/blibli/safelink/internal/fakewebrisk"
)

// FuzzDecode checks that the decoders never panic, and that what they
// decode encodes again to the same fields and the same bits.
func FuzzDecode(f *testing.F) {
	for _, v := range prefixVectors {
		f.Add(v.first, v.k, v.count, encoding(f, v.first, v.k, v.count, v.data).EncodedData)
	}
	for _, v := range indexVectors {
		f.Add(v.first, v.k, v.count, encoding(f, v.first, v.k, v.count, v.data).EncodedData)
	}
	f.Fuzz(func(t *testing.T, first int64, k, count int32, data []byte) {
		e := &webriskpb.RiceDeltaEncoding{FirstValue: first, RiceParameter: k, EntryCount: count, EncodedData: data}
		if prefixes, err := rice.DecodePrefixes(e); err == nil {
			for i := 1; i < len(prefixes); i++ {
				if bytes.Compare(prefixes[i-1][:], prefixes[i][:]) >= 0 {
					t.Fatalf("prefixes %x and %x out of order", prefixes[i-1], prefixes[i])
				}
			}
			checkEncodesAgain(t, e, valuesOf(prefixes))
		}
		if indices, err := rice.DecodeIndices(e); err == nil {
			values := make([]uint32, len(indices))
			for i, x := range indices {
				values[i] = uint32(x)
			}
			checkEncodesAgain(t, e, values)
		}
	})
}

// checkEncodesAgain checks that values, decoded from e, encode with e's
// parameter to e's fields, and to the bits of e's data that the decoder
// read: its data but for trailing bytes and the padding of the last byte.
func checkEncodesAgain(t *testing.T, e *webriskpb.RiceDeltaEncoding, values []uint32) {
	t.Helper()
	if len(values) != int(e.EntryCount)+1 || values[0] != uint32(e.FirstValue) {
		t.Fatalf("%d values from %d, want %d from %d", len(values), values[0], e.EntryCount+1, e.FirstValue)
	}
	if e.EntryCount == 0 {
		return
	}
	again := fakewebrisk.EncodeRice(values, e.RiceParameter)
	k := uint(e.RiceParameter)
	var used uint64
	for i := 1; i < len(values); i++ {
		used += uint64(values[i]-values[i-1])>>k + 1 + uint64(k)
	}
	want := bytes.Clone(e.EncodedData[:(used+7)/8])
	if used%8 != 0 {
		want[len(want)-1] &= byte(1)<<(used%8) - 1
	}
	if again.FirstValue != e.FirstValue || again.RiceParameter != e.RiceParameter ||
		again.EntryCount != e.EntryCount || !bytes.Equal(again.EncodedData, want) {
		t.Fatalf("encoded again as %v, want %v with data %x", again, e, want)
	}
}

// FuzzRoundTrip checks that any sorted set of values encodes and decodes
// back to itself, as prefixes and, within int32, as indices.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x00\xff\xff\xff\xff"), int32(2))
	f.Add([]byte("\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00"), int32(28))
	f.Add([]byte("\x51\x7f\xf6\x69"), int32(0))
	f.Fuzz(func(t *testing.T, data []byte, k int32) {
		values := sortedSet(data)
		k = min(max(k, rice.MinParameter), rice.MaxParameter)
		if len(values) == 0 || maxDelta(values)>>k > 1<<16 {
			return // nothing, or megabytes of unary quotient
		}
		got, err := rice.DecodePrefixes(fakewebrisk.EncodeRice(values, k))
		if err != nil || !slices.Equal(valuesOf(got), values) {
			t.Fatalf("k=%d: %x decoded as %x, %v", k, values, valuesOf(got), err)
		}
		low := make([]uint32, len(values))
		for i, v := range values {
			low[i] = v & math.MaxInt32
		}
		slices.Sort(low)
		indices := make([]int32, 0, len(low))
		for _, v := range slices.Compact(low) {
			indices = append(indices, int32(v))
		}
		if got, err := rice.DecodeIndices(fakewebrisk.EncodeIndices(indices)); err != nil || !slices.Equal(got, indices) {
			t.Fatalf("indices %v decoded as %v, %v", indices, got, err)
		}
	})
}

func BenchmarkDecodePrefixes(b *testing.B) {
	const n = 1_000_000
	prefixes, err := fakesafebrowsing.RandomPrefixes(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	e := fakewebrisk.EncodePrefixes(prefixes)
	b.SetBytes(int64(len(e.EncodedData)))
	b.ReportAllocs()
	for b.Loop() {
		got, err := rice.DecodePrefixes(e)
		if err != nil || len(got) != n {
			b.Fatalf("decoded %d prefixes, %v", len(got), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/prefix")
}
