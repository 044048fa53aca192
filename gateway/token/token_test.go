package token

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func testSigner(t testing.TB) *Signer {
	t.Helper()
	s, err := NewSigner([]byte(strings.Repeat("k", MinKeyLength)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignVerify(t *testing.T) {
	s := testSigner(t)
	tok := s.Sign("continue", "https://toko.example/a?b=c.d", now.Add(time.Minute))
	got, err := s.Verify("continue", tok, now)
	if err != nil || got != "https://toko.example/a?b=c.d" {
		t.Fatalf("Verify = %q, %v", got, err)
	}
	other, _ := NewSigner([]byte(strings.Repeat("x", MinKeyLength)))
	tests := []struct {
		name    string
		signer  *Signer
		purpose string
		tok     string
		at      time.Time
		want    error
	}{
		{"expired", s, "continue", tok, now.Add(time.Minute), ErrExpired},
		{"other purpose", s, "report", tok, now, ErrSignature},
		{"other key", other, "continue", tok, now, ErrSignature},
		{"no dot", s, "continue", strings.ReplaceAll(tok, ".", ""), now, ErrMalformed},
		{"empty", s, "continue", "", now, ErrMalformed},
		{"bad base64", s, "continue", "!!!." + strings.Split(tok, ".")[1], now, ErrSignature},
		{"short mac", s, "continue", strings.Split(tok, ".")[0] + ".AAAA", now, ErrMalformed},
		{"changed payload", s, "continue", strings.Split(s.Sign("continue", "https://evil.example/", now.Add(time.Minute)), ".")[0] + "." + strings.Split(tok, ".")[1], now, ErrSignature},
	}
	for _, tt := range tests {
		if _, err := tt.signer.Verify(tt.purpose, tt.tok, tt.at); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestNewSignerRefusesShortKeys(t *testing.T) {
	if _, err := NewSigner(make([]byte, MinKeyLength-1)); err == nil {
		t.Error("a short key was accepted")
	}
	a, b := RandomSigner(), RandomSigner()
	if _, err := b.Verify("p", a.Sign("p", "x", now.Add(time.Hour)), now); err == nil {
		t.Error("two random signers share a key")
	}
}

// FuzzVerify checks that Verify never panics and accepts only the tokens
// Sign makes: the same purpose, payload and expiry sign to the same token.
// It also signs the fuzzed payload: the token gives the payload back before
// its expiry, is refused from its expiry on, and is refused for another
// purpose and with any byte changed.
func FuzzVerify(f *testing.F) {
	s := testSigner(f)
	f.Add(s.Sign("continue", "https://toko.example/", now.Add(time.Minute)), "continue", "https://toko.example/", int64(60), uint16(0))
	f.Add("a.b", "report", `{"u":"https://wa.me/62","a":"warn"}`, int64(-1), uint16(3))
	f.Add("", "", "", int64(0), uint16(0))
	f.Fuzz(func(t *testing.T, tok, purpose, payload string, ttl int64, flip uint16) {
		if got, err := s.Verify(purpose, tok, now); err == nil {
			body, _, _ := strings.Cut(tok, ".")
			raw, _ := base64.RawURLEncoding.DecodeString(body)
			exp, _, _ := strings.Cut(string(raw), ".")
			unix, _ := strconv.ParseInt(exp, 10, 64)
			if again := s.Sign(purpose, got, time.Unix(unix, 0)); again != tok {
				t.Fatalf("Verify accepted %q, which Sign writes as %q", tok, again)
			}
		}
		expires := time.Unix(now.Unix()+ttl%(1<<40), 0)
		signed := s.Sign(purpose, payload, expires)
		got, err := s.Verify(purpose, signed, now)
		if live := now.Before(expires); live != (err == nil) || live && got != payload {
			t.Fatalf("Sign(%q, %q, now%+ds) = %q verifies to %q, %v", purpose, payload, ttl, signed, got, err)
		}
		if _, err := s.Verify(purpose+"x", signed, now); err == nil {
			t.Fatalf("a %q token passes for %q", purpose, purpose+"x")
		}
		b := []byte(signed)
		i := int(flip) % len(b)
		b[i] ^= 1 + byte(flip>>8)%0x7f
		if _, err := s.Verify(purpose, string(b), now); err == nil {
			t.Fatalf("%q verifies with byte %d changed: %q", signed, i, b)
		}
	})
}
