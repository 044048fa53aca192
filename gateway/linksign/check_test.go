package linksign

import "testing"

func TestCheck(t *testing.T) {
	const target = "https://bit.ly/x"
	k := mustParse(t, "k1:"+secretA)
	sig := k.Sign(target, "")
	tests := []struct {
		name string
		keys *Keyring
		u, s string
		want Status
	}{
		{"signed", k, target, sig, SignedValid},
		{"no signature", k, target, "", Unsigned},
		{"other URL", k, "https://bit.ly/y", sig, Tampered},
		{"garbage signature", k, target, "xyz", Tampered},
		{"no keyring, no signature", nil, target, "", Unsigned},
		{"no keyring, signature", nil, target, sig, Tampered},
	}
	for _, tc := range tests {
		if got := tc.keys.Check(tc.u, "", tc.s); got != tc.want {
			t.Errorf("%s: Check(%q, %q) = %v, want %v", tc.name, tc.u, tc.s, got, tc.want)
		}
	}
}

func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{Unsigned: "unsigned", SignedValid: "signed-valid", Tampered: "tampered", Status(7): "Status(7)"} {
		if got := s.String(); got != want {
			t.Errorf("Status(%d).String() = %q, want %q", int(s), got, want)
		}
	}
}
