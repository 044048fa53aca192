package bearer

import (
	"regexp"
	"strings"
	"testing"
)

var fingerprint = regexp.MustCompile(`^[0-9a-f]{8}$`)

// FuzzParse reads any list. A list that parses authenticates each of its
// tokens as its entry's name and a probe exactly when a plain lookup of
// the tokens finds it; a refusal never shows a token: no error holds a
// token of 16 or more bytes with a capital letter in it, which neither a
// name nor the messages have.
func FuzzParse(f *testing.F) {
	f.Add("alice:"+aliceToken+",bob:"+bobToken, aliceToken)
	f.Add("LegacyUnnamedTokenABCDEFGH", "LegacyUnnamedTokenABCDEFGH")
	f.Add("a:"+bobToken+",b:"+bobToken, bobToken)
	f.Add("x:Token:WithColon0123,y:"+aliceToken, "Token:WithColon0123")
	f.Add(" ,Alice:"+aliceToken, "")
	f.Fuzz(func(t *testing.T, list, probe string) {
		tokens, err := Parse(list)
		if err != nil {
			for _, raw := range strings.Split(list, ",") {
				_, secret, named := strings.Cut(strings.TrimSpace(raw), ":")
				if !named {
					secret = strings.TrimSpace(raw)
				}
				if len(secret) >= MinTokenLength && strings.ContainsAny(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && strings.Contains(err.Error(), secret) {
					t.Fatalf("Parse(%q): the error %q shows the token %q", list, err, secret)
				}
			}
			return
		}
		byToken := map[string]string{}
		for _, raw := range strings.Split(list, ",") {
			if raw = strings.TrimSpace(raw); raw == "" {
				continue
			}
			name, token, _ := strings.Cut(raw, ":")
			if got, ok := tokens.Authenticate(token); !ok || got != name {
				t.Fatalf("Parse(%q): the token of %q authenticates as %q, %v", list, name, got, ok)
			}
			byToken[token] = name
		}
		if tokens.Len() != len(byToken) {
			t.Fatalf("Parse(%q) holds %d tokens, the list %d", list, tokens.Len(), len(byToken))
		}
		name, ok := tokens.Authenticate(probe)
		if want, known := byToken[probe]; ok != known || name != want {
			t.Fatalf("Parse(%q).Authenticate(%q) = %q, %v; a lookup gives %q, %v", list, probe, name, ok, want, known)
		}
		if !fingerprint.MatchString(Fingerprint(probe)) {
			t.Fatalf("Fingerprint(%q) = %q", probe, Fingerprint(probe))
		}
	})
}
