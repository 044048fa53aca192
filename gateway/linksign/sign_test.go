package linksign

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestSignKnownAnswer(t *testing.T) {
	// HMAC-SHA256("0123456789abcdef0123456789abcdef",
	// "safelink/go\x00k1\x00https://bit.ly/x"), first 16 bytes, base64url.
	k := mustParse(t, "k1:"+secretA)
	if got, want := k.Sign("https://bit.ly/x", ""), "k1.-2rs3MdFRWf-opHS6110iQ"; got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
}

func TestSignFormat(t *testing.T) {
	format := regexp.MustCompile(`^k2\.[A-Za-z0-9_-]{22}$`)
	k := mustParse(t, "k2:"+secretB+",k1:"+secretA)
	for _, target := range []string{"https://blibli.com", "", "https://пример.рф/путь?q=1#x"} {
		if sig := k.Sign(target, ""); !format.MatchString(sig) {
			t.Errorf("Sign(%q) = %q, want k2.<22 base64url characters>", target, sig)
		}
	}
}

func TestVerify(t *testing.T) {
	const target = "https://bit.ly/x"
	k := mustParse(t, "k1:"+secretA)
	sig := k.Sign(target, "")
	otherSecret := mustParse(t, "k1:"+secretB).Sign(target, "")
	_, mac, _ := strings.Cut(sig, ".")
	tests := []struct {
		name    string
		target  string
		sig     string
		wantErr error
	}{
		{"exact URL", target, sig, nil},
		{"other URL", "https://bit.ly/y", sig, ErrMismatch},
		{"URL with trailing slash", target + "/", sig, ErrMismatch},
		{"URL without scheme", "bit.ly/x", sig, ErrMismatch},
		{"upper-case URL", strings.ToUpper(target), sig, ErrMismatch},
		{"same key id, other secret", target, otherSecret, ErrMismatch},
		{"unknown key id", target, "k9." + mac, ErrUnknownKey},
		{"key id of other case", target, "K1." + mac, ErrUnknownKey},
		{"truncated", target, sig[:len(sig)-1], ErrMalformed},
		{"one character too many", target, sig + "A", ErrMalformed},
		{"no key id", target, mac, ErrMalformed},
		{"empty key id", target, "." + mac, ErrUnknownKey},
		{"overlong key id", target, strings.Repeat("k", 33) + "." + mac, ErrMalformed},
		{"empty", target, "", ErrMalformed},
		{"standard base64 alphabet", target, strings.NewReplacer("-", "+", "_", "/").Replace(sig), ErrMalformed},
		{"padded", target, sig + "==", ErrMalformed},
		{"non-canonical last character", target, sig[:len(sig)-1] + nonCanonical(sig[len(sig)-1]), ErrMalformed},
	}
	for _, tc := range tests {
		err := k.Verify(tc.target, "", tc.sig)
		if tc.wantErr == nil && err != nil || !errors.Is(err, tc.wantErr) {
			t.Errorf("%s: Verify(%q, %q) = %v, want %v", tc.name, tc.target, tc.sig, err, tc.wantErr)
		}
	}
}

// nonCanonical returns another base64url character that decodes to the
// same last byte as c when it ends a 16-byte value, whose last character
// carries 2 data bits and 4 padding bits.
func nonCanonical(c byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	return string(alphabet[strings.IndexByte(alphabet, c)|1])
}

func TestRotation(t *testing.T) {
	const target = "https://wa.me/6281234567890"
	old := mustParse(t, "k1:"+secretA)
	rotated := mustParse(t, "k2:"+secretB+",k1:"+secretA)
	oldSig, newSig := old.Sign(target, ""), rotated.Sign(target, "")
	if !strings.HasPrefix(newSig, "k2.") {
		t.Fatalf("rotated keyring signs with %q, want key k2", newSig)
	}
	if err := rotated.Verify(target, "", oldSig); err != nil {
		t.Errorf("rotated keyring rejects a signature of the old key: %v", err)
	}
	if err := rotated.Verify(target, "", newSig); err != nil {
		t.Errorf("rotated keyring rejects its own signature: %v", err)
	}
	if err := old.Verify(target, "", newSig); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("old keyring on a k2 signature: %v, want ErrUnknownKey", err)
	}
	retired := mustParse(t, "k2:"+secretB)
	if err := retired.Verify(target, "", oldSig); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("keyring without k1 on a k1 signature: %v, want ErrUnknownKey", err)
	}
}

// TestConcurrentUse signs and verifies from several goroutines, for the race
// detector to watch the pooled HMAC states.
func TestConcurrentUse(t *testing.T) {
	k := mustParse(t, "k2:"+secretB+",k1:"+secretA)
	want := k.Sign("https://bit.ly/x", "")
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			target := "https://bit.ly/" + strings.Repeat("x", g)
			for range 100 {
				if err := k.Verify(target, "", k.Sign(target, "")); err != nil {
					errs <- err
					return
				}
			}
			if got := k.Sign("https://bit.ly/x", ""); got != want {
				errs <- errors.New("signature changed under concurrent use: " + got)
				return
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestSignContextKnownAnswer(t *testing.T) {
	// HMAC-SHA256("0123456789abcdef0123456789abcdef", "safelink/go+c\x00k1\x00"+
	// "credential-request.apk-file\x00https://bit.ly/x"), first 16 bytes,
	// base64url.
	k := mustParse(t, "k1:"+secretA)
	if got, want := k.Sign("https://bit.ly/x", "credential-request.apk-file"), "k1.Wm5wEW1yqJWDcl9uiMHwdg"; got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
}

func TestContextCannotBeDroppedOrChanged(t *testing.T) {
	k := mustParse(t, "k1:"+secretA)
	const target = "https://toko-sepatu.example/"
	sig := k.Sign(target, "credential-request")
	for _, tc := range []struct{ target, context string }{
		{target, ""},
		{target, "apk-file"},
		{target, "credential-request.apk-file"},
		{target, "credential-request\x00"},
		{"credential-request\x00" + target, ""},
	} {
		if err := k.Verify(tc.target, tc.context, sig); err == nil {
			t.Errorf("Verify(%q, %q) accepted the signature made with context credential-request", tc.target, tc.context)
		}
	}
	if err := k.Verify(target, "credential-request", sig); err != nil {
		t.Errorf("Verify of its own context: %v", err)
	}
	if got := k.Check(target, "", sig); got != Tampered {
		t.Errorf("Check without the context = %v, want tampered", got)
	}
}

func TestSignRefusesContextWithNUL(t *testing.T) {
	k := mustParse(t, "k1:"+secretA)
	defer func() {
		if recover() == nil {
			t.Error("Sign accepted a context holding a NUL byte")
		}
	}()
	k.Sign("https://bit.ly/x", "a\x00b")
}
