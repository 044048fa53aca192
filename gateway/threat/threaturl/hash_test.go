package threaturl

import (
	"encoding/hex"
	"strings"
	"testing"
)

// TestHash uses the SHA-256 examples the specification quotes.
func TestHash(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{strings.Repeat("a", 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
	} {
		h := Hash(tc.in)
		if got := hex.EncodeToString(h[:]); got != tc.want {
			t.Errorf("Hash(%.20q…) = %s, want %s", tc.in, got, tc.want)
		}
		p := Prefix(h)
		if got := hex.EncodeToString(p[:]); got != tc.want[:8] {
			t.Errorf("Prefix(Hash(%.20q…)) = %s, want %s", tc.in, got, tc.want[:8])
		}
	}
}

func TestHashes(t *testing.T) {
	for _, in := range []string{
		"http://a.b.c/1/2.html?param=1",
		"http://a.b.c.d.e.f.g/1/2/3/4/5.html?q",
		"http://1.2.3.4/1/",
		"www.GOOgle.com",
		"http://a.com/" + strings.Repeat("%C3%BC/", 500),
	} {
		list, err := Expressions(in)
		if err != nil {
			t.Fatalf("Expressions(%.40q): %v", in, err)
		}
		hashes, err := Hashes(in)
		if err != nil {
			t.Fatalf("Hashes(%.40q): %v", in, err)
		}
		if len(hashes) != len(list) {
			t.Fatalf("Hashes(%.40q): %d hashes for %d expressions", in, len(hashes), len(list))
		}
		for i, e := range list {
			if hashes[i] != Hash(e) {
				t.Errorf("Hashes(%.40q)[%d] is not Hash(%.40q)", in, i, e)
			}
		}
	}
	if _, err := Hashes("javascript:alert(1)"); err == nil {
		t.Error("Hashes(javascript:…): no error")
	}
}
