package threaturl

import (
	"crypto/sha256"
	"slices"
	"testing"
	"time"
)

// typicalURL is a link as people share them in chat: a subdomain, a few
// path components and a query.
const typicalURL = "https://www.toko-contoh.example/promo/flash-sale/sepatu-lari.html?id=12345&ref=chat"

var sink [32]byte

// BenchmarkHashes measures the hashes of a typical URL. Its x-sha256 figure
// compares it with a baseline of the same run, hashing the same expressions
// already built and nothing else: the median of rounds that take each in
// turn, so that a change of load on the machine weighs on both alike.
//
//	go test -run '^$' -bench Hashes -benchmem ./gateway/threat/threaturl
func BenchmarkHashes(b *testing.B) {
	list, err := Expressions(typicalURL)
	if err != nil {
		b.Fatal(err)
	}
	built := make([][]byte, len(list))
	for i, e := range list {
		built[i] = []byte(e)
	}
	hashes := func() {
		h, err := Hashes(typicalURL)
		if err != nil {
			b.Fatal(err)
		}
		sink = h[0]
	}
	baseline := func() {
		for _, e := range built {
			sink = sha256.Sum256(e)
		}
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		hashes()
		n++
	}

	const rounds = 11
	ratios := make([]float64, rounds)
	for i := range ratios {
		ratios[i] = float64(timeOf(n/rounds+1, hashes)) / float64(timeOf(n/rounds+1, baseline))
	}
	slices.Sort(ratios)
	b.ReportMetric(ratios[rounds/2], "x-sha256")
	b.ReportMetric(float64(len(list)), "expressions")
}

// timeOf is the time n calls of f take.
func timeOf(n int, f func()) time.Duration {
	start := time.Now()
	for range n {
		f()
	}
	return time.Since(start)
}
