// Package hashlist keeps one threat list of the Update API (Web Risk, Safe
// Browsing v4) as a client must: a set of SHA-256 hash prefixes, 4 to 32
// bytes each, held in lexicographic order, changed by diffs that remove
// entries by their index in that order and add new ones, and checked after
// every change against the SHA-256 checksum of the whole sorted list.
//
// A List is immutable: Apply returns a new List, so lookups never wait on
// an update and a failed update leaves the old list in place.
package hashlist

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sort"
)

// Bounds of a prefix, in bytes.
const (
	MinPrefixSize = 4
	MaxPrefixSize = sha256.Size
)

// MaxEntries bounds the entries of one list, so that a hostile or broken
// server cannot make the client allocate without limit.
const MaxEntries = 1 << 24

// List is a sorted set of hash prefixes. The zero value is an empty list.
type List struct {
	// data holds the prefixes back to back in lexicographic order; the
	// i-th is data[ends[i-1]:ends[i]] (from 0 for the first).
	data []byte
	ends []uint32
	// sizes has bit n set when a prefix of n bytes is in the list.
	sizes uint64
}

// Len returns the number of prefixes.
func (l *List) Len() int {
	return len(l.ends)
}

// at returns the i-th prefix in order.
func (l *List) at(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = l.ends[i-1]
	}
	return l.data[start:l.ends[i]]
}

// Match returns the prefix of fullHash that is in the list, the shortest
// first, or false when none is.
func (l *List) Match(fullHash [sha256.Size]byte) ([]byte, bool) {
	for size := MinPrefixSize; size <= MaxPrefixSize; size++ {
		if l.sizes&(1<<size) == 0 {
			continue
		}
		if l.contains(fullHash[:size]) {
			return bytes.Clone(fullHash[:size]), true
		}
	}
	return nil, false
}

// contains reports whether prefix is in the list.
func (l *List) contains(prefix []byte) bool {
	i := sort.Search(l.Len(), func(i int) bool { return bytes.Compare(l.at(i), prefix) >= 0 })
	return i < l.Len() && bytes.Equal(l.at(i), prefix)
}

// Checksum returns the SHA-256 of the sorted prefixes concatenated, which
// the server sends with every diff.
func (l *List) Checksum() [sha256.Size]byte {
	return sha256.Sum256(l.data)
}

// Additions are prefixes of one size, back to back, as a server sends them
// (raw, or decoded from a Rice encoding).
type Additions struct {
	Size int
	Data []byte
}

// Errors of Apply. Each means the diff cannot be applied and the list
// must be fetched afresh.
var (
	ErrBadDiff  = errors.New("hashlist: malformed diff")
	ErrChecksum = errors.New("hashlist: checksum mismatch")
	ErrTooLarge = errors.New("hashlist: list too large")
)

// Apply returns the list with the entries at the indices in removals (into
// l's sorted order) taken out and the additions put in, and checks it
// against checksum (nil skips the check). l itself is unchanged. An index
// out of range or given twice, an addition of a bad size, a prefix added
// that is already there, or a result over MaxEntries is refused with
// ErrBadDiff or ErrTooLarge; a result whose checksum differs with
// ErrChecksum.
func (l *List) Apply(removals []int32, additions []Additions, checksum []byte) (*List, error) {
	keep, err := l.kept(removals)
	if err != nil {
		return nil, err
	}
	added, err := sortedAdditions(additions)
	if err != nil {
		return nil, err
	}
	if l.Len()-len(removals)+added.Len() > MaxEntries {
		return nil, fmt.Errorf("%w: more than %d entries", ErrTooLarge, MaxEntries)
	}
	out, err := merge(l, keep, added)
	if err != nil {
		return nil, err
	}
	if checksum != nil {
		if sum := out.Checksum(); !bytes.Equal(sum[:], checksum) {
			return nil, fmt.Errorf("%w: %d entries give %x, the server expects %x", ErrChecksum, out.Len(), sum, checksum)
		}
	}
	return out, nil
}

// kept returns, for each entry of l, whether it survives the removals.
func (l *List) kept(removals []int32) ([]bool, error) {
	keep := make([]bool, l.Len())
	for i := range keep {
		keep[i] = true
	}
	for _, r := range removals {
		if r < 0 || int(r) >= l.Len() {
			return nil, fmt.Errorf("%w: removal index %d outside a list of %d", ErrBadDiff, r, l.Len())
		}
		if !keep[r] {
			return nil, fmt.Errorf("%w: removal index %d given twice", ErrBadDiff, r)
		}
		keep[r] = false
	}
	return keep, nil
}

// sortedAdditions checks the additions and returns them as one sorted
// List.
func sortedAdditions(additions []Additions) (*List, error) {
	if len(additions) == 1 {
		if l, ok := inOrder(additions[0]); ok {
			return l, nil
		}
	}
	var entries [][]byte
	total := 0
	for _, a := range additions {
		if a.Size < MinPrefixSize || a.Size > MaxPrefixSize {
			return nil, fmt.Errorf("%w: prefix size %d outside %d to %d", ErrBadDiff, a.Size, MinPrefixSize, MaxPrefixSize)
		}
		if len(a.Data)%a.Size != 0 {
			return nil, fmt.Errorf("%w: %d bytes of additions are not whole prefixes of %d bytes", ErrBadDiff, len(a.Data), a.Size)
		}
		total += len(a.Data) / a.Size
		if total > MaxEntries {
			return nil, fmt.Errorf("%w: more than %d additions", ErrTooLarge, MaxEntries)
		}
		for i := 0; i < len(a.Data); i += a.Size {
			entries = append(entries, a.Data[i:i+a.Size])
		}
	}
	if !slices.IsSortedFunc(entries, bytes.Compare) {
		slices.SortFunc(entries, bytes.Compare)
	}
	out := &List{data: make([]byte, 0, totalBytes(entries)), ends: make([]uint32, 0, len(entries))}
	for i, e := range entries {
		if i > 0 && bytes.Equal(entries[i-1], e) {
			return nil, fmt.Errorf("%w: prefix %x added twice", ErrBadDiff, e)
		}
		out.push(e)
	}
	return out, nil
}

// inOrder returns a as a List when it is well formed and already strictly
// in order, as a server sends it: the common case costs no sorting.
func inOrder(a Additions) (*List, bool) {
	if a.Size < MinPrefixSize || a.Size > MaxPrefixSize || len(a.Data)%a.Size != 0 || len(a.Data)/a.Size > MaxEntries {
		return nil, false
	}
	n := len(a.Data) / a.Size
	for i := a.Size; i < len(a.Data); i += a.Size {
		if bytes.Compare(a.Data[i-a.Size:i], a.Data[i:i+a.Size]) >= 0 {
			return nil, false
		}
	}
	l := &List{data: bytes.Clone(a.Data), ends: make([]uint32, n)}
	for i := range l.ends {
		l.ends[i] = uint32((i + 1) * a.Size)
	}
	if n > 0 {
		l.sizes = 1 << a.Size
	}
	return l, true
}

func totalBytes(entries [][]byte) int {
	n := 0
	for _, e := range entries {
		n += len(e)
	}
	return n
}

// push appends p, which sorts after every prefix already in l.
func (l *List) push(p []byte) {
	l.data = append(l.data, p...)
	l.ends = append(l.ends, uint32(len(l.data)))
	l.sizes |= 1 << len(p)
}

// merge returns the entries of old that keep marks, and those of added,
// in order. A prefix in both is an error: the server added what the client
// already holds.
func merge(old *List, keep []bool, added *List) (*List, error) {
	if !slices.Contains(keep, true) {
		return added, nil
	}
	out := &List{
		data: make([]byte, 0, len(old.data)+len(added.data)),
		ends: make([]uint32, 0, old.Len()+added.Len()),
	}
	i, j := 0, 0
	for {
		for i < old.Len() && !keep[i] {
			i++
		}
		switch {
		case i == old.Len() && j == added.Len():
			return out, nil
		case j == added.Len():
			out.push(old.at(i))
			i++
		case i == old.Len():
			out.push(added.at(j))
			j++
		default:
			switch c := bytes.Compare(old.at(i), added.at(j)); {
			case c < 0:
				out.push(old.at(i))
				i++
			case c > 0:
				out.push(added.at(j))
				j++
			default:
				return nil, fmt.Errorf("%w: prefix %x added but already listed", ErrBadDiff, added.at(j))
			}
		}
	}
}
