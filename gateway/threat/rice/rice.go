// Package rice decodes the Rice-Golomb delta encoding with which Google's
// Web Risk Update API (and Safe Browsing v4 before it) compresses 4-byte
// hash prefixes and removal indices (webriskpb.RiceDeltaEncoding).
//
// The encoded integers form a sorted list: first_value is the first one,
// and encoded_data holds entry_count deltas, each the difference to the
// integer before it. A delta is the quotient q of the delta by 2^k in
// unary (q one bits, then a zero bit) followed by the remainder in k bits,
// least significant bit first, where k is rice_parameter. The bits fill
// each byte of encoded_data from its least significant bit on.
//
// The decoders trust nothing in the message: an entry_count that the data
// cannot hold, a rice_parameter outside the protocol's range, a sum past
// the integers' range, a repeated integer or data that ends too soon is an
// error, found in time linear in the size of encoded_data, before any
// allocation that the data does not justify.
package rice

import (
	"fmt"
	"math"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
)

// The range of rice_parameter that the protocol allows.
const (
	MinParameter = 2
	MaxParameter = 28
)

// DecodePrefixes returns the 4-byte hash prefixes that e encodes, sorted
// in the order of their bytes, as clients compare them. The protocol encodes
// each prefix as its 4 bytes read as a little-endian uint32; the returned
// prefixes are those 4 bytes. A nil e encodes no prefix.
func DecodePrefixes(e *webriskpb.RiceDeltaEncoding) ([][4]byte, error) {
	if e == nil {
		return nil, nil
	}
	sums, err := decode(e, math.MaxUint32)
	if err != nil {
		return nil, err
	}
	return inByteOrder(sums), nil
}

// DecodeIndices returns the removal indices that e encodes, in ascending
// order. A nil e encodes no index.
func DecodeIndices(e *webriskpb.RiceDeltaEncoding) ([]int32, error) {
	if e == nil {
		return nil, nil
	}
	sums, err := decode(e, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	indices := make([]int32, len(sums))
	for i, v := range sums {
		indices[i] = int32(v)
	}
	return indices, nil
}

// decode returns the strictly ascending integers that e encodes, each at
// most limit.
func decode(e *webriskpb.RiceDeltaEncoding, limit uint32) ([]uint32, error) {
	first, k, count, data := e.GetFirstValue(), e.GetRiceParameter(), e.GetEntryCount(), e.GetEncodedData()
	if first < 0 || first > int64(limit) {
		return nil, fmt.Errorf("rice: first_value %d is outside [0, %d]", first, limit)
	}
	if count < 0 {
		return nil, fmt.Errorf("rice: entry_count %d is negative", count)
	}
	if count == 0 {
		return []uint32{uint32(first)}, nil
	}
	if k < MinParameter || k > MaxParameter {
		return nil, fmt.Errorf("rice: rice_parameter %d is outside [%d, %d]", k, MinParameter, MaxParameter)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("rice: encoded_data is empty, want %d entries", count)
	}
	// Each delta takes at least k+1 bits: its zero bit and its remainder.
	if need, have := int64(count)*int64(k+1), int64(len(data))*8; need > have {
		return nil, fmt.Errorf("rice: entry_count %d needs at least %d bits of encoded_data, which has %d", count, need, have)
	}

	r := bitReader{data: data}
	sums := make([]uint32, 1, int(count)+1)
	sums[0] = uint32(first)
	sum := uint64(first)
	for i := 1; i <= int(count); i++ {
		delta, err := r.value(uint(k), limit)
		if err != nil {
			return nil, fmt.Errorf("rice: entry %d of %d: %w", i, count, err)
		}
		if delta == 0 {
			return nil, fmt.Errorf("rice: entry %d of %d repeats %d", i, count, sum)
		}
		if sum += uint64(delta); sum > uint64(limit) {
			return nil, fmt.Errorf("rice: entry %d of %d: the sum %d overflows %d", i, count, sum, limit)
		}
		sums = append(sums, uint32(sum))
	}
	return sums, nil
}
