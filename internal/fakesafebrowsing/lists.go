package fakesafebrowsing

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/blibli/safelink/gateway/verdict"
)

// prefixSize is the length of the hash prefixes the fake lists.
const prefixSize = 4

// maxRandomPrefixes bounds Config.RandomPrefixes far below the 2^32
// possible prefixes, so that drawing unique ones ends quickly.
const maxRandomPrefixes = 1 << 28

// wireThreatTypes maps each verdict.Threat to its protocol enum value.
var wireThreatTypes = map[verdict.Threat]uint64{
	verdict.ThreatMalware:            1, // MALWARE
	verdict.ThreatSocialEngineering:  2, // SOCIAL_ENGINEERING
	verdict.ThreatUnwantedSoftware:   3, // UNWANTED_SOFTWARE
	verdict.ThreatHarmfulApplication: 4, // POTENTIALLY_HARMFUL_APPLICATION
}

// list is the content of one threat list as a full update sends it.
type list struct {
	raw []byte   // sorted, unique 4-byte prefixes, concatenated
	sum [32]byte // SHA-256 of raw
}

// newList returns the list of the given prefixes, read as big-endian
// numbers so that their order is the order of the bytes.
func newList(prefixes []uint32) list {
	prefixes = sortedUnique(prefixes)
	raw := make([]byte, 0, len(prefixes)*prefixSize)
	for _, p := range prefixes {
		raw = binary.BigEndian.AppendUint32(raw, p)
	}
	return list{raw: raw, sum: sha256.Sum256(raw)}
}

// listedHash is the full hash of an entry, kept to answer full hash requests.
type listedHash struct {
	threatType uint64
	hash       [sha256.Size]byte
}

// buildLists returns the lists of every threat type by protocol enum value,
// and the full hashes of the entries by prefix. The list of randomType gets
// random more prefixes, drawn from a generator seeded with seed, which have
// no full hash.
func buildLists(entries []Entry, random int, randomType verdict.Threat, seed uint64) (map[uint64]list, map[[prefixSize]byte][]listedHash, error) {
	if random < 0 || random > maxRandomPrefixes {
		return nil, nil, fmt.Errorf("%d random prefixes is outside [0, %d]", random, maxRandomPrefixes)
	}
	if _, ok := wireThreatTypes[randomType]; !ok && random > 0 {
		return nil, nil, fmt.Errorf("random prefixes for unknown threat type %q", randomType)
	}
	prefixes := make(map[verdict.Threat][]uint32)
	hashes := make(map[[prefixSize]byte][]listedHash)
	for _, e := range entries {
		wireType, ok := wireThreatTypes[e.Type]
		if !ok {
			return nil, nil, fmt.Errorf("entry %q has unknown threat type %q", e.Expression, e.Type)
		}
		h := listedHash{threatType: wireType, hash: e.Hash()}
		prefix := [prefixSize]byte(h.hash[:prefixSize])
		if slices.Contains(hashes[prefix], h) {
			continue
		}
		hashes[prefix] = append(hashes[prefix], h)
		prefixes[e.Type] = append(prefixes[e.Type], binary.BigEndian.Uint32(prefix[:]))
	}
	if random > 0 {
		prefixes[randomType] = addRandom(prefixes[randomType], random, rand.New(rand.NewPCG(seed, seed)))
	}
	lists := make(map[uint64]list)
	for t, wireType := range wireThreatTypes {
		lists[wireType] = newList(prefixes[t])
	}
	return lists, hashes, nil
}

// RandomPrefixes returns n unique random 4-byte prefixes, read as
// big-endian numbers and sorted, drawn from a generator seeded with seed.
func RandomPrefixes(n int, seed uint64) ([]uint32, error) {
	if n < 0 || n > maxRandomPrefixes {
		return nil, fmt.Errorf("%d random prefixes is outside [0, %d]", n, maxRandomPrefixes)
	}
	return addRandom(nil, n, rand.New(rand.NewPCG(seed, seed))), nil
}

// addRandom returns prefixes with n more unique prefixes drawn from rng.
func addRandom(prefixes []uint32, n int, rng *rand.Rand) []uint32 {
	prefixes = sortedUnique(prefixes)
	want := len(prefixes) + n
	for len(prefixes) < want {
		for range want - len(prefixes) {
			prefixes = append(prefixes, rng.Uint32())
		}
		prefixes = sortedUnique(prefixes)
	}
	return prefixes
}

func sortedUnique(prefixes []uint32) []uint32 {
	slices.Sort(prefixes)
	return slices.Compact(prefixes)
}
