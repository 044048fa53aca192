package rice

import (
	"encoding/binary"
	"math/bits"
)

// inByteOrder returns the prefixes whose little-endian numbers are values,
// sorted in the order of their bytes: in the order of their big-endian
// numbers, the values with their bytes reversed. It sorts those numbers
// with a radix sort, in two stable passes over 16 bits each, as sorting a
// million prefixes by comparison takes several times longer than decoding
// them.
func inByteOrder(values []uint32) [][4]byte {
	counts := make([]int, 1<<16)
	keys := make([]uint32, len(values))
	for _, v := range values {
		counts[bits.ReverseBytes32(v)&0xffff]++
	}
	place(counts)
	for _, v := range values {
		key := bits.ReverseBytes32(v)
		keys[counts[key&0xffff]] = key
		counts[key&0xffff]++
	}
	clear(counts)
	for _, key := range keys {
		counts[key>>16]++
	}
	place(counts)
	prefixes := make([][4]byte, len(keys))
	for _, key := range keys {
		binary.BigEndian.PutUint32(prefixes[counts[key>>16]][:], key)
		counts[key>>16]++
	}
	return prefixes
}

// place turns the counts of each digit into the place of the first number
// with that digit.
func place(counts []int) {
	sum := 0
	for i, n := range counts {
		counts[i], sum = sum, sum+n
	}
}
