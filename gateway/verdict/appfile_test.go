package verdict_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/blibli/safelink/gateway/verdict"
)

func TestIsAppFile(t *testing.T) {
	for p, want := range map[string]bool{
		"/Lacak_Paket.apk":          true,
		"/dl/UNDANGAN.APK":          true,
		"/resi.pdf.apk":             true,
		"/app%2Eapk":                true,
		"/app.%61pk":                true,
		"/bundle.xapk":              true,
		"/bundle.apks":              true,
		"/bundle.apkm":              true,
		"/app.apk.":                 true,
		"/app.apk%20":               true,
		"/app.apk%00":               true,
		"/":                         false,
		"/apk":                      false,
		"/app.apk/":                 false,
		"/app.apk/readme":           false,
		"/app.apkx":                 false,
		"/app.pdf":                  false,
		"/unduh-apk-resmi":          false,
		"/cara-install.apk.html":    false,
		"/bad%zz.apk":               true,
		"/folder.apk/../katalog":    false,
		"/a%2Fb.apk":                true,
		"/nama%20file%20resi%2Eapk": true,
	} {
		if got := verdict.IsAppFile(p); got != want {
			t.Errorf("IsAppFile(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestAPKDownloadOnlyOffBlibli(t *testing.T) {
	p := testPolicy(t)
	for raw, want := range map[string]bool{
		"https://kurir-cepat.example/Lacak_Paket.apk":      true,
		"http://103.28.12.7/undangan.pdf.apk":              true,
		"https://bit.ly/resi.APK":                          true,
		"https://kurir-cepat.example/lacak?file=paket.apk": false,
		"https://www.blibli.com/app/blibli.apk":            false,
	} {
		v := p.Decide(raw)
		if got := v.Has(verdict.ReasonAPKDownload); got != want {
			t.Errorf("Decide(%q) reasons %v; apk-download %v, want %v", raw, v.Reasons, got, want)
		}
	}
	allowed := p.Decide("https://kurir-cepat.example/Lacak_Paket.apk").Apply(verdict.Facts{Rule: &verdict.Rule{Action: verdict.RuleAllow}})
	if allowed.Action != verdict.Warn {
		t.Errorf("an allow rule lifted the apk-download warning: %s %v", allowed.Action, allowed.Reasons)
	}
}

// FuzzAppFileSpelling checks that any spelling of a path names an app
// file alike: percent-encoding any byte of the last segment and changing
// the case of its letters never changes the answer.
func FuzzAppFileSpelling(f *testing.F) {
	for _, s := range []string{"/Lacak_Paket.apk", "/a.pdf.apk", "/x.xapk", "/readme", "/a/b.apk/c", "/%41.apk"} {
		f.Add(s, uint64(0x5555))
	}
	f.Fuzz(func(t *testing.T, p string, bits uint64) {
		if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "%?#") {
			return
		}
		i := strings.LastIndexByte(p, '/') + 1
		var b strings.Builder
		b.WriteString(p[:i])
		for k, c := range []byte(p[i:]) {
			switch bit := bits >> (k % 32 * 2) & 3; {
			case bit == 1 && c != '/':
				fmt.Fprintf(&b, "%%%02X", c)
			case bit == 2:
				b.WriteString(strings.ToUpper(string(c)))
			default:
				b.WriteByte(c)
			}
		}
		if got, want := verdict.IsAppFile(b.String()), verdict.IsAppFile(p); got != want {
			t.Fatalf("IsAppFile(%q) = %v but IsAppFile(%q) = %v", b.String(), got, p, want)
		}
	})
}

func TestSuspiciousMessage(t *testing.T) {
	p := testPolicy(t)
	otp := []verdict.SignalKind{verdict.SignalCredentialRequest}
	for _, tc := range []struct {
		raw     string
		facts   verdict.Facts
		action  verdict.Action
		reasons R
	}{
		{"https://toko-sepatu.example/", verdict.Facts{Signals: otp}, verdict.Warn, R{verdict.ReasonExternal, verdict.ReasonSuspiciousMessage}},
		{"https://toko-sepatu.example/", verdict.Facts{}, verdict.Warn, R{verdict.ReasonExternal}},
		{"https://www.blibli.com/promo", verdict.Facts{Signals: otp}, verdict.Redirect, nil},
		{"http://www.blibli.com:8080/", verdict.Facts{Signals: otp}, verdict.Warn, R{verdict.ReasonInsecure, verdict.ReasonPort}},
		{"https://toko-sepatu.example/", verdict.Facts{Signals: otp, Rule: &verdict.Rule{Action: verdict.RuleAllow}}, verdict.Warn, R{verdict.ReasonExternal, verdict.ReasonSuspiciousMessage}},
		{"https://toko-sepatu.example/", verdict.Facts{Signals: otp, Rule: &verdict.Rule{Action: verdict.RuleBlock}}, verdict.Block, R{verdict.ReasonExternal}},
	} {
		v := p.Decide(tc.raw).Apply(tc.facts)
		if v.Action != tc.action || fmt.Sprint(v.Reasons) != fmt.Sprint(tc.reasons) {
			t.Errorf("%s with %+v: %s %v, want %s %v", tc.raw, tc.facts, v.Action, v.Reasons, tc.action, tc.reasons)
		}
		if fmt.Sprint(v.Signals) != fmt.Sprint(tc.facts.Signals) {
			t.Errorf("%s: verdict signals %v, want %v", tc.raw, v.Signals, tc.facts.Signals)
		}
	}
}
