package verdict

import (
	"strings"
	"testing"
)

func TestParseSignalKindKnowsEveryKind(t *testing.T) {
	for _, k := range SignalKinds {
		got, err := ParseSignalKind(string(k))
		if err != nil || got != k {
			t.Errorf("ParseSignalKind(%q) = %q, %v", k, got, err)
		}
	}
}

func TestParseSignalKindNamesTheBadKind(t *testing.T) {
	for _, in := range []string{"", "otp", "Credential-Request", " apk-file", "credential-request,apk-file"} {
		_, err := ParseSignalKind(in)
		if err == nil {
			t.Errorf("ParseSignalKind(%q) succeeded", in)
			continue
		}
		want := `unknown signal kind "` + in + `" (known: credential-request,secret-shared,off-platform-payment,off-platform-contact,apk-file)`
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSignalKind(%q) error = %v, want one containing %q", in, err, want)
		}
	}
}
