package hashlist

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// AppendBinary appends the list in the form Parse reads: the number of
// prefixes as a uvarint, then each prefix as its length (one byte) and its
// bytes, in order.
func (l *List) AppendBinary(b []byte) ([]byte, error) {
	b = binary.AppendUvarint(b, uint64(l.Len()))
	for i := range l.Len() {
		p := l.at(i)
		b = append(b, byte(len(p)))
		b = append(b, p...)
	}
	return b, nil
}

// errCorrupt says a saved list does not read back.
var errCorrupt = errors.New("hashlist: corrupt saved list")

// Parse reads a list that AppendBinary wrote at the start of b and returns
// it with the bytes after it. It refuses anything AppendBinary would not
// write: a bad size, prefixes out of order or repeated, a short input.
func Parse(b []byte) (*List, []byte, error) {
	n, used := binary.Uvarint(b)
	if used <= 0 || n > MaxEntries || used != len(binary.AppendUvarint(nil, n)) {
		return nil, nil, fmt.Errorf("%w: bad entry count", errCorrupt)
	}
	b = b[used:]
	l := &List{ends: make([]uint32, 0, min(n, uint64(len(b))))}
	var prev []byte
	for i := range n {
		if len(b) == 0 {
			return nil, nil, fmt.Errorf("%w: %d of %d entries", errCorrupt, i, n)
		}
		size := int(b[0])
		if size < MinPrefixSize || size > MaxPrefixSize || len(b) < 1+size {
			return nil, nil, fmt.Errorf("%w: entry %d", errCorrupt, i)
		}
		p := b[1 : 1+size]
		if prev != nil && bytes.Compare(prev, p) >= 0 {
			return nil, nil, fmt.Errorf("%w: entry %d out of order", errCorrupt, i)
		}
		l.push(p)
		prev, b = p, b[1+size:]
	}
	return l, b, nil
}
