package linksign

import (
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

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

// Sign returns the signature of target, found in a message whose signals
// context names (the c parameter; empty for none), with the first key of
// the keyring. A context holding a NUL byte panics: it would make two
// signed messages alike.
func (k *Keyring) Sign(target, context string) string {
	if strings.IndexByte(context, 0) >= 0 {
		panic("linksign: a context holds a NUL byte")
	}
	signer := k.keys[0]
	var mac [macLen]byte
	signer.mac(&mac, target, context)
	sig := make([]byte, len(signer.id)+1+encodedMACLen)
	n := copy(sig, signer.id)
	sig[n] = '.'
	base64.RawURLEncoding.Encode(sig[n+1:], mac[:])
	return string(sig)
}

// Verify returns nil when sig is a signature of exactly target and context
// by a key of the keyring, and otherwise an error wrapping ErrMalformed,
// ErrUnknownKey or ErrMismatch. The MAC comparison takes constant time.
func (k *Keyring) Verify(target, context, sig string) error {
	id, encoded, found := strings.Cut(sig, ".")
	if !found || len(id) > maxKeyIDLen || len(encoded) != encodedMACLen || strings.IndexByte(context, 0) >= 0 {
		return ErrMalformed
	}
	key := k.byID[id]
	if key == nil {
		return fmt.Errorf("%w %q", ErrUnknownKey, id)
	}
	var got, want [macLen]byte
	if n, err := base64.RawURLEncoding.Strict().Decode(got[:], []byte(encoded)); err != nil || n != macLen {
		return ErrMalformed
	}
	key.mac(&want, target, context)
	if !hmac.Equal(got[:], want[:]) {
		return fmt.Errorf("%w (key %q)", ErrMismatch, id)
	}
	return nil
}
