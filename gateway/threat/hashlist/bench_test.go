package hashlist

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

// sortedRandomPrefixes returns n distinct random 4-byte prefixes in order,
// as a server's RESET sends them.
func sortedRandomPrefixes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	values := make([]uint32, n)
	for i := range values {
		values[i] = r.Uint32()
	}
	slices.Sort(values)
	values = slices.Compact(values)
	data := make([]byte, 0, 4*len(values))
	for _, v := range values {
		data = binary.BigEndian.AppendUint32(data, v)
	}
	return data
}

// BenchmarkReset loads a list of 1,000,000 prefixes, as the first update
// does.
func BenchmarkReset(b *testing.B) {
	data := sortedRandomPrefixes(1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		var empty List
		if _, err := empty.Apply(nil, []Additions{{Size: 4, Data: data}}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch looks up the full hash of a clean URL in a list of
// 1,000,000 prefixes.
func BenchmarkMatch(b *testing.B) {
	var empty List
	l, err := empty.Apply(nil, []Additions{{Size: 4, Data: sortedRandomPrefixes(1_000_000)}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	h := sha256.Sum256([]byte("toko-sepatu.example/produk/sepatu-lari"))
	b.ReportAllocs()
	for b.Loop() {
		l.Match(h)
	}
}
