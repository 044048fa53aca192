package bearer

import (
	"strings"
	"testing"
)

const (
	aliceToken = "alice-token-0123456789"
	bobToken   = "Ym9iLXRva2VuLTAxMjM0NTY3ODk="
)

func TestParseAndAuthenticate(t *testing.T) {
	tokens, err := Parse(" alice@secops:" + aliceToken + " ,, chat-backend.1:" + bobToken + ",")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tokens.Names(), ","); got != "alice@secops,chat-backend.1" || tokens.Len() != 2 {
		t.Fatalf("names %q, %d tokens", got, tokens.Len())
	}
	for presented, want := range map[string]string{aliceToken: "alice@secops", bobToken: "chat-backend.1"} {
		if name, ok := tokens.Authenticate(presented); !ok || name != want {
			t.Errorf("Authenticate(%q) = %q, %v; want %q", presented, name, ok, want)
		}
	}
	for _, presented := range []string{"", "alice@secops", aliceToken + "x", aliceToken[1:], strings.ToUpper(aliceToken), "alice@secops:" + aliceToken} {
		if name, ok := tokens.Authenticate(presented); ok {
			t.Errorf("Authenticate(%q) = %q", presented, name)
		}
	}
	if none, err := Parse(" , "); err != nil || none.Len() != 0 {
		t.Errorf("an empty list: %d tokens, %v", none.Len(), err)
	}
	if _, ok := (Tokens{}).Authenticate(""); ok {
		t.Error("no tokens authenticate the empty token")
	}
}

// Each refusal names the entry by its position, and by its name once that
// is valid, and never shows a token.
func TestParseRefusals(t *testing.T) {
	tests := []struct {
		list, says string
	}{
		{"LegacyUnnamedTokenABCDEFGH", "entry 1 has no name; write it as name:token"},
		{"alice:" + aliceToken + ",LegacyUnnamedTokenABCDEFGH", "entry 2 has no name"},
		{":" + aliceToken, "entry 1: the name must be 1 to 64 characters"},
		{"Alice:" + aliceToken, "entry 1: the name must be"},
		{"al ice:" + aliceToken, "entry 1: the name must be"},
		{strings.Repeat("a", 65) + ":" + aliceToken, "entry 1: the name must be"},
		{"alice:ShortTokenABC", "entry 1 (alice): the token must be 16 to 4096 characters long"},
		{"alice:" + strings.Repeat("A", 4097), "entry 1 (alice): the token must be 16 to 4096"},
		{"alice:Token:WithColon0123", "entry 1 (alice): the token may hold only"},
		{"alice:Token=NotAtTheEnd01", "entry 1 (alice): the token may hold only"},
		{"alice:Tökenwithumlaut0123", "entry 1 (alice): the token may hold only"},
		{"alice:" + strings.Repeat("=", 20), "entry 1 (alice): the token is nothing but ="},
		{"alice:" + aliceToken + ",alice:" + bobToken, "entry 2 (alice): the name is given twice"},
		{"alice:" + aliceToken + ", ,bob:" + aliceToken, "entry 3 (bob) has the same token as alice"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.list)
		if err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("Parse(%q) = %v; want an error with %q", tt.list, err, tt.says)
			continue
		}
		for _, secret := range []string{aliceToken, bobToken, "LegacyUnnamedTokenABCDEFGH", "ShortTokenABC", "Token:WithColon0123", "Tökenwithumlaut0123"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("Parse(%q): the error %q shows a token", tt.list, err)
			}
		}
	}
}

func TestFingerprint(t *testing.T) {
	// The SHA-256 of "abc" starts ba7816bf.
	if got := Fingerprint("abc"); got != "ba7816bf" {
		t.Errorf("Fingerprint(abc) = %q", got)
	}
	if Fingerprint(aliceToken) == Fingerprint(bobToken) {
		t.Error("two tokens share a fingerprint")
	}
}
