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

func TestSignalContextRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		kinds []SignalKind
		want  string
	}{
		{nil, ""},
		{[]SignalKind{SignalAPKFile}, "apk-file"},
		{[]SignalKind{SignalAPKFile, SignalCredentialRequest, SignalAPKFile}, "credential-request.apk-file"},
		{SignalKinds, "credential-request.secret-shared.off-platform-payment.off-platform-contact.apk-file"},
	} {
		got := FormatSignalContext(tc.kinds)
		if got != tc.want {
			t.Errorf("FormatSignalContext(%v) = %q, want %q", tc.kinds, got, tc.want)
		}
		if back := FormatSignalContext(ParseSignalContext(got)); back != got {
			t.Errorf("ParseSignalContext(%q) formats back as %q", got, back)
		}
	}
}

func TestParseSignalContextKeepsOnlyKnownKinds(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "",
		"apk-file.credential-request":   "credential-request.apk-file",
		"future-kind.apk-file":          "apk-file",
		"apk-file.apk-file":             "apk-file",
		"APK-FILE":                      "",
		"credential-request,apk-file":   "",
		"...":                           "",
		"off-platform-contact.\x00.otp": "off-platform-contact",
	} {
		if got := FormatSignalContext(ParseSignalContext(in)); got != want {
			t.Errorf("ParseSignalContext(%q) = %q, want %q", in, got, want)
		}
	}
}
