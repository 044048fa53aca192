// Package linksign signs the target URLs of gateway links and verifies
// those signatures, so that the gateway can tell links it wrote from links
// someone crafted.
//
// A signature is "<key id>.<mac>", where mac is the first 16 bytes of
// HMAC-SHA256(secret, "safelink/go\x00" + key id + "\x00" + target),
// base64url-encoded without padding (22 characters). The target is the
// absolute URL exactly as it is placed, query-escaped, in the u parameter of
// the gateway link, so the gateway verifies the decoded value of u. A link
// found in a message with scam signals carries them in its c parameter,
// and its signature covers both: HMAC-SHA256(secret, "safelink/go+c\x00" +
// key id + "\x00" + context + "\x00" + target), so that the context can be
// neither dropped nor changed. The key
// id travels with the signature, so keys rotate without breaking the links
// of old messages: a new key is put first to sign, old keys stay to verify.
package linksign

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// MinSecretLen is the shortest secret accepted, in bytes.
const MinSecretLen = 16

// maxKeyIDLen bounds key ids, which appear in every gateway link.
const maxKeyIDLen = 32

// Keyring holds the signing keys: the first signs, all verify. It is safe
// for concurrent use. Make one with ParseKeyring; the zero Keyring holds no
// key to sign with. Its String and GoString methods show key ids only, so
// that printing or logging a Keyring never reveals a secret.
type Keyring struct {
	keys []*key
	byID map[string]*key
}

// ParseKeyring parses a key spec "id:secret,id2:secret2", where each secret
// is standard base64 (padding optional) of at least MinSecretLen bytes and
// each id is 1 to 32 characters among A-Z a-z 0-9 _ -. Spaces around
// entries are ignored. The first key signs; all keys verify. Errors name the
// entry and key id at fault, never a secret.
func ParseKeyring(spec string) (*Keyring, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, errors.New("linksign: key spec is empty, want id:base64secret[,id2:base64secret2…]")
	}
	entries := strings.Split(spec, ",")
	k := &Keyring{keys: make([]*key, 0, len(entries)), byID: make(map[string]*key, len(entries))}
	for i, entry := range entries {
		parsed, err := parseKey(strings.TrimSpace(entry))
		if err != nil {
			return nil, fmt.Errorf("linksign: key entry %d: %w", i+1, err)
		}
		if k.byID[parsed.id] != nil {
			return nil, fmt.Errorf("linksign: key entry %d: duplicate key id %q", i+1, parsed.id)
		}
		k.keys = append(k.keys, parsed)
		k.byID[parsed.id] = parsed
	}
	return k, nil
}

// parseKey parses one "id:base64secret" entry.
func parseKey(entry string) (*key, error) {
	id, encoded, found := strings.Cut(entry, ":")
	switch {
	case entry == "":
		return nil, errors.New("empty entry")
	case !found:
		return nil, errors.New("no colon, want id:base64secret")
	case id == "":
		return nil, errors.New("empty key id")
	case len(id) > maxKeyIDLen:
		return nil, fmt.Errorf("key id %q is longer than %d characters", id, maxKeyIDLen)
	case !isKeyID(id):
		return nil, fmt.Errorf("key id %q has a character outside A-Z a-z 0-9 _ -", id)
	case encoded == "":
		return nil, fmt.Errorf("key %q has an empty secret", id)
	}
	enc := base64.RawStdEncoding
	if strings.HasSuffix(encoded, "=") {
		enc = base64.StdEncoding
	}
	secret, err := enc.Strict().DecodeString(encoded)
	if err != nil {
		return nil, fmt.Errorf("key %q: secret is not standard base64: %w", id, err)
	}
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("key %q: secret is %d bytes, want at least %d", id, len(secret), MinSecretLen)
	}
	return newKey(id, secret), nil
}

// isKeyID reports whether id uses only the characters allowed in key ids,
// which need no escaping in a URL and hold neither the "." that ends the id
// in a signature nor the ":" and "," of the key spec.
func isKeyID(id string) bool {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// KeyIDs returns the key ids in spec order; the first one signs.
func (k Keyring) KeyIDs() []string {
	ids := make([]string, len(k.keys))
	for i, key := range k.keys {
		ids[i] = key.id
	}
	return ids
}

// String returns the key ids, never the secrets.
func (k Keyring) String() string {
	return "linksign.Keyring[" + strings.Join(k.KeyIDs(), " ") + "]"
}

// GoString is String, so that %#v does not print the secrets either.
func (k Keyring) GoString() string {
	return k.String()
}
