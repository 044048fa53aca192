package fakewebrisk

import (
	"math/bits"
	"slices"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
)

// The range of rice parameters the protocol allows.
const (
	minRiceParameter = 2
	maxRiceParameter = 28
)

// EncodeRice returns the Rice-Golomb delta encoding of values, which must
// be sorted in ascending order without repeats, with parameter k: the first
// value, then each difference to the value before it, its quotient by 2^k
// in unary and its remainder in k bits, least significant bit first. It
// returns nil for no values.
func EncodeRice(values []uint32, k int32) *webriskpb.RiceDeltaEncoding {
	if len(values) == 0 {
		return nil
	}
	e := &webriskpb.RiceDeltaEncoding{FirstValue: int64(values[0])}
	if len(values) == 1 {
		return e // the protocol leaves rice_parameter out with no delta
	}
	w := bitWriter{out: make([]byte, 0, (len(values)-1)*int(k+2)/8+8)}
	for i := 1; i < len(values); i++ {
		delta := values[i] - values[i-1]
		for q := delta >> k; q > 0; {
			n := min(q, 32)
			w.write(1<<n-1, uint(n))
			q -= n
		}
		w.write(0, 1)
		w.write(uint64(delta)&(1<<k-1), uint(k))
	}
	e.RiceParameter = k
	e.EntryCount = int32(len(values) - 1)
	e.EncodedData = w.flush()
	return e
}

// RiceParameter returns a parameter that encodes values, sorted in
// ascending order without repeats, in few bits: the number of bits of their
// mean difference, within the range the protocol allows.
func RiceParameter(values []uint32) int32 {
	if len(values) < 2 {
		return minRiceParameter
	}
	mean := (values[len(values)-1] - values[0]) / uint32(len(values)-1)
	return min(max(int32(bits.Len32(mean))-1, minRiceParameter), maxRiceParameter)
}

// EncodePrefixes returns the RICE encoding of 4-byte prefixes, each read
// as a big-endian number (so that their order is the order of their
// bytes), as the API sends them: read as little-endian numbers, sorted.
func EncodePrefixes(prefixes []uint32) *webriskpb.RiceDeltaEncoding {
	values := make([]uint32, len(prefixes))
	for i, p := range prefixes {
		values[i] = bits.ReverseBytes32(p)
	}
	slices.Sort(values)
	return EncodeRice(values, RiceParameter(values))
}

// EncodeIndices returns the RICE encoding of removal indices, sorted in
// ascending order without repeats.
func EncodeIndices(indices []int32) *webriskpb.RiceDeltaEncoding {
	values := make([]uint32, len(indices))
	for i, v := range indices {
		values[i] = uint32(v)
	}
	return EncodeRice(values, RiceParameter(values))
}

// bitWriter appends bits to out, filling each byte from its least
// significant bit on.
type bitWriter struct {
	out []byte
	buf uint64 // the n bits not yet in out
	n   uint
}

// write appends the n low bits of v, n at most 32.
func (w *bitWriter) write(v uint64, n uint) {
	w.buf |= v << w.n
	w.n += n
	for w.n >= 8 {
		w.out = append(w.out, byte(w.buf))
		w.buf >>= 8
		w.n -= 8
	}
}

// flush returns the bytes written, the last one padded with zero bits.
func (w *bitWriter) flush() []byte {
	if w.n > 0 {
		w.out = append(w.out, byte(w.buf))
		w.buf, w.n = 0, 0
	}
	return w.out
}
