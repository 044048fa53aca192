package signals

// wordFilter is a set of words that may answer yes for a word it does not
// hold, and never no for one it holds: a few operations on the bytes of a
// word pass over most of a message's words without a map lookup.
type wordFilter [filterBits / 64]uint64

const filterBits = 1 << 14

// add puts w in the filter.
func (f *wordFilter) add(w string) {
	h := filterHash(w)
	f[h/64] |= 1 << (h % 64)
}

// mayHave reports whether w may be in the filter: false only when it is not.
func (f *wordFilter) mayHave(w string) bool {
	h := filterHash(w)
	return f[h/64]&(1<<(h%64)) != 0
}

// mayHaveAny reports whether one of words may be in the filter.
func (f *wordFilter) mayHaveAny(words []string) bool {
	for _, w := range words {
		if f.mayHave(w) {
			return true
		}
	}
	return false
}

// filterHash mixes the length of w and its first, middle and last bytes.
func filterHash(w string) uint32 {
	n := len(w)
	if n == 0 {
		return 0
	}
	h := uint32(n)*0x9e3779b1 ^ uint32(w[0])*0x85ebca6b ^ uint32(w[n/2])*0xc2b2ae35 ^ uint32(w[n-1])*0x27d4eb2f
	return (h ^ h>>15) % filterBits
}
