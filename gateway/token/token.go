// Package token makes and checks short-lived signed tokens: a purpose, a
// payload and an expiry under an HMAC-SHA256, so that a form the gateway
// rendered can prove it came from the gateway and is recent.
//
// A token is base64url(expiry unix seconds "." payload) "." base64url(MAC),
// where the MAC covers the purpose too: a token made for one purpose never
// passes for another.
package token

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MinKeyLength is the shortest key Signer accepts, in bytes.
const MinKeyLength = 32

// macLength is the number of MAC bytes kept in a token.
const macLength = 16

// strict decodes only the one encoding Sign writes.
var strict = base64.RawURLEncoding.Strict()

// Errors of Verify.
var (
	ErrMalformed = errors.New("token: malformed")
	ErrSignature = errors.New("token: bad signature")
	ErrExpired   = errors.New("token: expired")
)

// Signer makes and checks tokens with one secret key. It is safe for
// concurrent use.
type Signer struct {
	key []byte
}

// NewSigner returns a Signer with key, which must hold at least
// MinKeyLength bytes.
func NewSigner(key []byte) (*Signer, error) {
	if len(key) < MinKeyLength {
		return nil, fmt.Errorf("token: key of %d bytes, at least %d needed", len(key), MinKeyLength)
	}
	return &Signer{key: append([]byte(nil), key...)}, nil
}

// RandomSigner returns a Signer with a fresh random key: its tokens are
// valid only in this process.
func RandomSigner() *Signer {
	key := make([]byte, MinKeyLength)
	if _, err := rand.Read(key); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	return &Signer{key: key}
}

// Sign returns a token for purpose and payload that expires at expires.
func (s *Signer) Sign(purpose, payload string, expires time.Time) string {
	body := base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(expires.Unix(), 10) + "." + payload))
	return body + "." + base64.RawURLEncoding.EncodeToString(s.mac(purpose, body))
}

// Verify checks a token for purpose at now and returns its payload.
func (s *Signer) Verify(purpose, tok string, now time.Time) (string, error) {
	// The base64 decoder skips line breaks, which would let one token be
	// written in many ways; Sign writes none.
	if strings.ContainsAny(tok, "\r\n") {
		return "", ErrMalformed
	}
	body, sig, ok := strings.Cut(tok, ".")
	if !ok {
		return "", ErrMalformed
	}
	mac, err := strict.DecodeString(sig)
	if err != nil || len(mac) != macLength {
		return "", ErrMalformed
	}
	if !hmac.Equal(mac, s.mac(purpose, body)) {
		return "", ErrSignature
	}
	raw, err := strict.DecodeString(body)
	if err != nil {
		return "", ErrMalformed
	}
	exp, payload, ok := strings.Cut(string(raw), ".")
	if !ok {
		return "", ErrMalformed
	}
	unix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return "", ErrMalformed
	}
	if !now.Before(time.Unix(unix, 0)) {
		return "", ErrExpired
	}
	return payload, nil
}

func (s *Signer) mac(purpose, body string) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write([]byte(body))
	return h.Sum(nil)[:macLength]
}
