package linksign

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// secretA and secretB are 32-byte test secrets in standard base64.
var (
	secretA = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	secretB = base64.StdEncoding.EncodeToString([]byte("fedcba9876543210fedcba9876543210"))
)

func mustParse(t testing.TB, spec string) *Keyring {
	t.Helper()
	k, err := ParseKeyring(spec)
	if err != nil {
		t.Fatalf("ParseKeyring: %v", err)
	}
	return k
}

func TestParseKeyring(t *testing.T) {
	tests := []struct {
		spec string
		ids  []string
	}{
		{"k1:" + secretA, []string{"k1"}},
		{"k2:" + secretB + ",k1:" + secretA, []string{"k2", "k1"}},
		{" k2:" + secretB + " , k1:" + secretA + " ", []string{"k2", "k1"}},
		{"2024-06_a:" + strings.TrimRight(secretA, "="), []string{"2024-06_a"}},
		{"K:" + base64.StdEncoding.EncodeToString([]byte("exactly16bytes!!")), []string{"K"}},
	}
	for _, tc := range tests {
		k, err := ParseKeyring(tc.spec)
		if err != nil {
			t.Errorf("ParseKeyring(%q): %v", tc.spec, err)
			continue
		}
		if got := k.KeyIDs(); !reflect.DeepEqual(got, tc.ids) {
			t.Errorf("ParseKeyring(%q).KeyIDs() = %q, want %q", tc.spec, got, tc.ids)
		}
	}
}

func TestParseKeyringErrors(t *testing.T) {
	short := base64.StdEncoding.EncodeToString([]byte("15 bytes secret"))
	tests := []struct {
		spec    string
		wantErr string
	}{
		{"", "key spec is empty"},
		{"  ", "key spec is empty"},
		{"k1", "key entry 1: no colon"},
		{":" + secretA, "key entry 1: empty key id"},
		{"k1:", `key entry 1: key "k1" has an empty secret`},
		{"k 1:" + secretA, `key id "k 1" has a character outside`},
		{"k.1:" + secretA, `key id "k.1" has a character outside`},
		{strings.Repeat("k", 33) + ":" + secretA, "is longer than 32 characters"},
		{"k1:not*base64", `key "k1": secret is not standard base64`},
		{"k1:" + base64.URLEncoding.EncodeToString([]byte("\xfb\xff0123456789abcdef")), `key "k1": secret is not standard base64`},
		{"k1:" + short, `key "k1": secret is 15 bytes, want at least 16`},
		{"k1:" + secretA + ",k1:" + secretB, `key entry 2: duplicate key id "k1"`},
		{"k1:" + secretA + ",", "key entry 2: empty entry"},
		{",k1:" + secretA, "key entry 1: empty entry"},
		{"k1:" + secretA + ",,k2:" + secretB, "key entry 2: empty entry"},
	}
	for _, tc := range tests {
		_, err := ParseKeyring(tc.spec)
		if err == nil {
			t.Errorf("ParseKeyring(%q) succeeded, want error containing %q", tc.spec, tc.wantErr)
			continue
		}
		if !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("ParseKeyring(%q) = %q, want error containing %q", tc.spec, err, tc.wantErr)
		}
		for _, secret := range []string{secretA, secretB, short} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("ParseKeyring(%q) error reveals a secret: %q", tc.spec, err)
			}
		}
	}
}

func TestKeyringPrintsNoSecret(t *testing.T) {
	k := mustParse(t, "k2:"+secretB+",k1:"+secretA)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{k, *k} {
			got := fmt.Sprintf(format, v)
			if got != "linksign.Keyring[k2 k1]" {
				t.Errorf("Sprintf(%q, %T) = %q, want the key ids only", format, v, got)
			}
		}
	}
}
