package rice

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestInByteOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 1000, 100000} {
		values := make([]uint32, n)
		for i := range values {
			values[i] = rng.Uint32() & 0xff00ff0f // repeats, and digits of 0
		}
		want := make([][4]byte, n)
		for i, v := range values {
			binary.LittleEndian.PutUint32(want[i][:], v)
		}
		slices.SortFunc(want, func(a, b [4]byte) int { return bytes.Compare(a[:], b[:]) })
		if got := inByteOrder(values); !slices.Equal(got, want) {
			t.Errorf("%d values: not in byte order", n)
		}
	}
}
