package rice

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// errShort means that the encoded data ended inside a value.
var errShort = errors.New("encoded_data ends too soon")

// bitReader reads bits from data, from the least significant bit of its
// first byte on.
type bitReader struct {
	data []byte // the bytes not yet in buf
	buf  uint64 // the n bits read from data but not consumed, the next lowest; the bits above them are zero
	n    uint
}

// fill moves whole bytes from data into buf until buf holds at least 57
// bits or data is used up.
func (r *bitReader) fill() {
	if len(r.data) >= 8 {
		take := (63 - r.n) / 8
		r.buf |= binary.LittleEndian.Uint64(r.data) << r.n
		r.n += take * 8
		r.buf &= 1<<r.n - 1
		r.data = r.data[take:]
		return
	}
	for r.n <= 56 && len(r.data) > 0 {
		r.buf |= uint64(r.data[0]) << r.n
		r.n += 8
		r.data = r.data[1:]
	}
}

// value reads one Rice-Golomb value with parameter k: its quotient in
// unary, ones ended by a zero, then its k-bit remainder. It fails on a
// value above limit, one less than a power of two, as soon as the quotient
// shows it, so that no run of ones is read further than a valid value
// could reach.
func (r *bitReader) value(k uint, limit uint32) (uint32, error) {
	maxQ := uint64(limit) >> k
	var q uint64
	for {
		if r.n == 0 {
			if r.fill(); r.n == 0 {
				return 0, errShort
			}
		}
		// The bits above n are zero, so the count stops at n at the latest.
		ones := uint(bits.TrailingZeros64(^r.buf))
		q += uint64(ones)
		if q > maxQ {
			return 0, fmt.Errorf("a delta above %d", limit)
		}
		if ones < r.n {
			r.buf >>= ones + 1
			r.n -= ones + 1
			break
		}
		r.buf, r.n = 0, 0
	}
	if r.n < k {
		if r.fill(); r.n < k {
			return 0, errShort
		}
	}
	rem := r.buf & (1<<k - 1)
	r.buf >>= k
	r.n -= k
	// With limit one less than a power of two, q <= limit>>k means that
	// any remainder keeps the value within limit.
	return uint32(q<<k | rem), nil
}
