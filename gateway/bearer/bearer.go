// Package bearer holds the named bearer tokens of the gateway's APIs: each
// token has a name, which says who called in logs, metrics, rate limits and
// the audit log, while the token itself is never kept, logged or shown.
//
// A list of tokens is written name:token,name:token. A name is 1 to 64
// characters of a-z 0-9 . _ @ -; a token is 16 to 4096 characters of the
// bearer token alphabet of RFC 6750 (letters, digits, - . _ ~ + /, and =
// at its end). Names and tokens are unique within a list.
package bearer

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Limits of a name and a token.
const (
	MaxNameLength  = 64
	MinTokenLength = 16
	MaxTokenLength = 4096
)

// Tokens is a list of named tokens. Only the SHA-256 of each token is
// kept. The zero value holds none.
type Tokens struct {
	entries []entry
}

type entry struct {
	name   string
	digest [sha256.Size]byte
}

// Parse reads a comma-separated list of name:token entries; spaces around
// an entry and empty entries are ignored. Its errors name an entry by its
// position, and by its name once the name is valid, never by its token.
func Parse(list string) (Tokens, error) {
	var t Tokens
	for i, raw := range strings.Split(list, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		name, token, named := strings.Cut(raw, ":")
		where := fmt.Sprintf("entry %d", i+1)
		if !named {
			return Tokens{}, fmt.Errorf("%s has no name; write it as name:token, the name saying who calls with it", where)
		}
		if !validName(name) {
			return Tokens{}, fmt.Errorf("%s: the name must be 1 to %d characters of a-z 0-9 . _ @ -", where, MaxNameLength)
		}
		where += " (" + name + ")"
		if err := checkToken(token); err != nil {
			return Tokens{}, fmt.Errorf("%s: %w", where, err)
		}
		e := entry{name: name, digest: sha256.Sum256([]byte(token))}
		for _, prev := range t.entries {
			switch {
			case prev.name == name:
				return Tokens{}, fmt.Errorf("%s: the name is given twice", where)
			case prev.digest == e.digest:
				return Tokens{}, fmt.Errorf("%s has the same token as %s; give each caller its own", where, prev.name)
			}
		}
		t.entries = append(t.entries, e)
	}
	return t, nil
}

func validName(s string) bool {
	if s == "" || len(s) > MaxNameLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("._@-", c) >= 0) {
			return false
		}
	}
	return true
}

// checkToken requires a b64token of RFC 6750 of a sane length.
func checkToken(token string) error {
	if len(token) < MinTokenLength || len(token) > MaxTokenLength {
		return fmt.Errorf("the token must be %d to %d characters long", MinTokenLength, MaxTokenLength)
	}
	body := strings.TrimRight(token, "=")
	if body == "" {
		return errors.New("the token is nothing but =")
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return errors.New("the token may hold only letters, digits and - . _ ~ + /, and = at its end")
		}
	}
	return nil
}

// Len is the number of tokens; an API without tokens is off.
func (t Tokens) Len() int { return len(t.entries) }

// Names lists the names of the tokens, in the order given.
func (t Tokens) Names() []string {
	names := make([]string, len(t.entries))
	for i, e := range t.entries {
		names[i] = e.name
	}
	return names
}

// Authenticate returns the name of the token presented, or false when it
// is none of them. It compares the presented token's digest with every
// token's, each in constant time, so its time tells neither whether nor
// which token matched.
func (t Tokens) Authenticate(presented string) (name string, ok bool) {
	digest := sha256.Sum256([]byte(presented))
	found := -1
	for i := range t.entries {
		same := subtle.ConstantTimeCompare(digest[:], t.entries[i].digest[:])
		found = subtle.ConstantTimeSelect(same, i, found)
	}
	if found < 0 {
		return "", false
	}
	return t.entries[found].name, true
}

// Fingerprint is the first 8 hex digits of the SHA-256 of a presented
// token: enough to tell in logs whether failed attempts reuse one token,
// too little to recover or replay it.
func Fingerprint(presented string) string {
	sum := sha256.Sum256([]byte(presented))
	return hex.EncodeToString(sum[:4])
}
