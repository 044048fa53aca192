package fakewebrisk

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
)

// prefixSize is the length of the hash prefixes the fake lists.
const prefixSize = 4

// keptVersions is how many versions of a list the server remembers: a
// client whose version is older gets a RESET.
const keptVersions = 16

// version is one state of a list, which a version token names. It does not
// change once made; its encodings are made when first asked for.
type version struct {
	number   uint64
	prefixes []uint32 // sorted, unique, each read as big-endian

	rawOnce, riceOnce sync.Once
	raw               []byte   // the prefixes, concatenated
	sum               [32]byte // SHA-256 of raw
	rice              *webriskpb.RiceDeltaEncoding
}

// rawHashes returns the prefixes concatenated, as RAW additions send them,
// and their SHA-256, the checksum of the list.
func (v *version) rawHashes() ([]byte, [32]byte) {
	v.rawOnce.Do(func() {
		v.raw = make([]byte, 0, len(v.prefixes)*prefixSize)
		for _, p := range v.prefixes {
			v.raw = binary.BigEndian.AppendUint32(v.raw, p)
		}
		v.sum = sha256.Sum256(v.raw)
	})
	return v.raw, v.sum
}

// riceHashes returns the RICE encoding of the whole list.
func (v *version) riceHashes() *webriskpb.RiceDeltaEncoding {
	v.riceOnce.Do(func() { v.rice = EncodePrefixes(v.prefixes) })
	return v.rice
}

// list is a threat list: random prefixes without full hashes, the listed
// entries by full hash, and the versions clients may hold.
type list struct {
	threatType webriskpb.ThreatType
	random     []uint32              // sorted, unique
	entries    map[[32]byte]struct{} // the full hashes of the listed entries
	versions   []*version            // the latest last
}

// newList returns the list of type t with the random prefixes and those of
// the entries of type t.
func newList(t webriskpb.ThreatType, random []uint32, entries []Entry) *list {
	l := &list{threatType: t, random: random, entries: make(map[[32]byte]struct{})}
	for _, e := range entries {
		if e.Type == t {
			l.entries[e.Hash()] = struct{}{}
		}
	}
	l.versions = []*version{l.snapshot(1)}
	return l
}

// snapshot returns a version numbered n of the list as it is.
func (l *list) snapshot(n uint64) *version {
	prefixes := slices.Grow(slices.Clone(l.random), len(l.entries))
	for h := range l.entries {
		prefixes = append(prefixes, binary.BigEndian.Uint32(h[:prefixSize]))
	}
	slices.Sort(prefixes)
	return &version{number: n, prefixes: slices.Compact(prefixes)}
}

// changed records a new version after a change of the entries, and forgets
// the versions older than the last keptVersions.
func (l *list) changed() {
	l.versions = append(l.versions, l.snapshot(l.latest().number+1))
	if len(l.versions) > keptVersions {
		l.versions = slices.Delete(l.versions, 0, len(l.versions)-keptVersions)
	}
}

func (l *list) latest() *version { return l.versions[len(l.versions)-1] }

// find returns the version a client's token names, or nil for an empty,
// unknown or forgotten token.
func (l *list) find(token []byte) *version {
	name, number, ok := strings.Cut(string(token), "/")
	if !ok || name != l.threatType.String() {
		return nil
	}
	n, err := strconv.ParseUint(number, 10, 64)
	if err != nil {
		return nil
	}
	for _, v := range l.versions {
		if v.number == n {
			return v
		}
	}
	return nil
}

// token returns the version token of v on the list.
func (l *list) token(v *version) []byte {
	return fmt.Appendf(nil, "%s/%d", l.threatType, v.number)
}

// diff returns the prefixes of to that from lacks, and the indices in from
// of the prefixes that to lacks.
func diff(from, to []uint32) (added []uint32, removed []int32) {
	i, j := 0, 0
	for i < len(from) || j < len(to) {
		switch {
		case j == len(to) || (i < len(from) && from[i] < to[j]):
			removed = append(removed, int32(i))
			i++
		case i == len(from) || to[j] < from[i]:
			added = append(added, to[j])
			j++
		default:
			i++
			j++
		}
	}
	return added, removed
}
