package linksign

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// macLen is the length of the truncated HMAC-SHA256, in bytes.
const macLen = 16

// macContext starts every signed message, so that a key shared by mistake
// with another use cannot produce gateway signatures there.
const macContext = "safelink/go\x00"

// Verification errors. Verify wraps them with detail.
var (
	// ErrMalformed: the signature is not "<key id>.<22 base64url characters>".
	ErrMalformed = errors.New("linksign: malformed signature")
	// ErrUnknownKey: no key of the keyring has the signature's key id.
	ErrUnknownKey = errors.New("linksign: unknown key id")
	// ErrMismatch: the signature was not made for this target with this key.
	ErrMismatch = errors.New("linksign: signature does not match")
)

// encodedMACLen is the length of the base64url-encoded MAC.
var encodedMACLen = base64.RawURLEncoding.EncodedLen(macLen)

// Sign returns the signature of target with the first key of the keyring.
func (k *Keyring) Sign(target string) string {
	signer := &k.keys[0]
	var sum [sha256.Size]byte
	var b strings.Builder
	b.Grow(len(signer.id) + 1 + encodedMACLen)
	b.WriteString(signer.id)
	b.WriteByte('.')
	b.WriteString(base64.RawURLEncoding.EncodeToString(signer.mac(sum[:0], target)))
	return b.String()
}

// Verify reports whether sig is a signature of exactly target by a key of
// the keyring. The MAC comparison takes constant time. The error wraps
// ErrMalformed, ErrUnknownKey or ErrMismatch.
func (k *Keyring) Verify(target, sig string) error {
	id, encoded, found := strings.Cut(sig, ".")
	if !found || len(id) > maxKeyIDLen || len(encoded) != encodedMACLen {
		return ErrMalformed
	}
	key := k.byID[id]
	if key == nil {
		return fmt.Errorf("%w %q", ErrUnknownKey, id)
	}
	var got [macLen]byte
	if n, err := base64.RawURLEncoding.Strict().Decode(got[:], []byte(encoded)); err != nil || n != macLen {
		return ErrMalformed
	}
	var sum [sha256.Size]byte
	if !hmac.Equal(got[:], key.mac(sum[:0], target)) {
		return fmt.Errorf("%w (key %q)", ErrMismatch, id)
	}
	return nil
}

// mac appends the truncated HMAC of target under the key to dst.
func (k *key) mac(dst []byte, target string) []byte {
	h := hmac.New(sha256.New, k.secret)
	h.Write([]byte(macContext))
	h.Write([]byte(k.id))
	h.Write([]byte{0})
	h.Write([]byte(target))
	return h.Sum(dst)[:macLen]
}
