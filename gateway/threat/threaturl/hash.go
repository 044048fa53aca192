package threaturl

import "crypto/sha256"

// Hash returns the full hash of an expression: its SHA-256 hash.
func Hash(expression string) [32]byte {
	return sha256.Sum256([]byte(expression))
}

// Prefix returns the first four bytes of a full hash, the hash prefix most
// entries of a list hold.
func Prefix(fullHash [32]byte) [4]byte {
	return [4]byte(fullHash[:4])
}

// Hashes returns the full hashes of the expressions of rawURL, in the order
// of Expressions: what a lookup searches the lists for. It fails as
// Canonicalize does.
func Hashes(rawURL string) ([][32]byte, error) {
	var buf [stackBytes]byte
	c, err := parse(buf[:0], rawURL)
	if err != nil {
		return nil, err
	}
	x := c.expressions()
	hashes := make([][32]byte, 0, x.nh*x.np)
	for _, h := range x.hosts[:x.nh] {
		for _, e := range x.ends[:x.np] {
			hashes = append(hashes, sha256.Sum256(c.b[h:e]))
		}
	}
	return hashes, nil
}
