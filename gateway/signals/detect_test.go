package signals_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/blibli/safelink/gateway/signals"
	"github.com/blibli/safelink/gateway/verdict"
)

// texts returns the text of each signal, with its kind.
func texts(sigs []signals.Signal) []string {
	var out []string
	for _, s := range sigs {
		out = append(out, fmt.Sprintf("%s %q", s.Kind, s.Text))
	}
	return out
}

func checkDetect(t *testing.T, d *signals.Detector, text string, want ...string) {
	t.Helper()
	got := texts(d.Detect(text))
	if !slices.Equal(got, want) {
		t.Errorf("Detect(%q) = %q, want %q", text, got, want)
	}
}

func TestGapsCountTheWordsBetween(t *testing.T) {
	d := mustLoad(t, "kind credential-request\nmatch kirim ~2 otp\nmatch kode otp\n")
	checkDetect(t, d, "kirim otp", `credential-request "kirim otp"`)
	checkDetect(t, d, "kirim dong kak otp", `credential-request "kirim dong kak otp"`)
	checkDetect(t, d, "kirim dong kak ya otp")
	checkDetect(t, d, "otp kirim")                                   // in order only
	checkDetect(t, d, "kode ya otp")                                 // adjacent means adjacent
	checkDetect(t, d, "kode, otp", `credential-request "kode, otp"`) // punctuation stands between words, not for one
}

func TestAPhraseNeverCrossesPunctuationThatEndsIt(t *testing.T) {
	d := mustLoad(t, "list secret: kode otp\nkind credential-request\nmatch {secret}\n")
	checkDetect(t, d, "kode otp", `credential-request "kode otp"`)
	checkDetect(t, d, "ini kode. otp nya nanti")
	checkDetect(t, d, "kode? otp")
}

func TestNotChecksTheWordRightAfter(t *testing.T) {
	d := mustLoad(t, "list not-secret: voucher, promo\nkind credential-request\nmatch kirim kode !{not-secret}\n")
	checkDetect(t, d, "kirim kode otp", `credential-request "kirim kode"`)
	checkDetect(t, d, "kirim kode", `credential-request "kirim kode"`) // nothing after it
	checkDetect(t, d, "kirim kode voucher")
	checkDetect(t, d, "kirim kode promonya") // a suffix set aside
	checkDetect(t, d, "kirim kode ya voucher", `credential-request "kirim kode"`)
}

func TestUnlessLooksOnItsSideWithinItsDistance(t *testing.T) {
	const match = "kind credential-request\nmatch kirim otp\n"
	tests := []struct {
		unless, text string
		dropped      bool
	}{
		{"jangan before 2", "jangan kirim otp", true},
		{"jangan before 2", "jangan ya kak kirim otp", true},
		{"jangan before 2", "jangan ya kak tolong kirim otp", false},
		{"jangan before 2", "kirim otp jangan", false}, // after, and before looks before only
		{"jangan before 0", "kirim otp, jangan lupa", false},
		{"jangan after 2", "kirim otp jangan", true},
		{"jangan after 2", "jangan kirim otp", false},
		{"jangan after 1", "kirim otp ya kak jangan", false},
		{"jangan around 3", "kirim otp ya jangan", true},
		{"jangan around 3", "jangan ya kirim otp", true},
		{"jangan around 3", "jangan satu dua tiga empat kirim otp lima enam tujuh delapan jangan", false},
		{"jangan before 2", "jangan. ya kirim otp", true}, // distances count words, punctuation aside
		{"kirim otp before 0", "kirim otp", true},         // the match itself is inside
		{"jangan !lupa before 3", "jangan lupa kirim otp", false},
		{"jangan !lupa before 3", "jangan kirim otp", true},
	}
	for _, tt := range tests {
		d := mustLoad(t, match+"unless "+tt.unless+"\n")
		got := len(d.Detect(tt.text)) == 0
		if got != tt.dropped {
			t.Errorf("unless %s, %q: dropped %v, want %v", tt.unless, tt.text, got, tt.dropped)
		}
	}
}

func TestUnlessDropsOnlyTheMatchesOfItsKindLine(t *testing.T) {
	d := mustLoad(t, "kind credential-request\nmatch otp\nunless jangan before 2\nkind secret-shared\nmatch otp <digits:4-8>\n")
	checkDetect(t, d, "jangan kasih otp 123456", `secret-shared "otp 123456"`)
}

func TestOverlappingMatchesOfAKindMakeOneSignal(t *testing.T) {
	d := mustLoad(t, "list secret: otp, kode otp\nkind credential-request\nmatch kirim ~3 {secret}\nmatch {secret} ~1 dong\nkind secret-shared\nmatch {secret} <digits:4-8>\n")
	checkDetect(t, d, "kirim kode otp dong. lalu kirim otp",
		`credential-request "kirim kode otp dong"`, `credential-request "kirim otp"`)
	// Kinds at the same place: in the order of verdict.SignalKinds.
	checkDetect(t, d, "otp 123456 dong", `credential-request "otp 123456 dong"`, `secret-shared "otp 123456"`)
}

func TestSignalSpansAreBytesOfTheMessage(t *testing.T) {
	d := mustLoad(t, "kind off-platform-contact\nmatch wa ~2 <phone>\n")
	text := "Halo 🙏 kak, ｗａ aku 0812-3456-7890 ya ✨"
	sigs := d.Detect(text)
	if len(sigs) != 1 {
		t.Fatalf("Detect = %v", sigs)
	}
	s := sigs[0]
	if s.Kind != verdict.SignalOffPlatformContact || s.Text != "ｗａ aku 0812-3456-7890" || text[s.Start:s.End] != s.Text {
		t.Errorf("signal %+v", s)
	}
	if got := signals.UTF16Offsets(text, s.Start, s.End); !slices.Equal(got, []int{13, 34}) {
		t.Errorf("UTF-16 offsets %v", got)
	}
}

func TestClasses(t *testing.T) {
	d := mustLoad(t, "kind off-platform-contact\nmatch <phone>\nkind secret-shared\nmatch <digits:4-6>\n")
	phones := []string{"081234567890", "0812 3456 78", "62 812-3456-7890", "6285612345678", "0896.1234.5678"}
	for _, p := range phones {
		checkDetect(t, d, p, fmt.Sprintf("off-platform-contact %q", p))
	}
	for _, notPhone := range []string{"0804 1 871 871", "021 5551234", "0812345", "08123456789012345", "12081234567", "6208123456789"} {
		if got := d.Detect(notPhone); slices.ContainsFunc(got, func(s signals.Signal) bool { return s.Kind == verdict.SignalOffPlatformContact }) {
			t.Errorf("%q read as a phone number", notPhone)
		}
	}
	checkDetect(t, d, "+62 812-3456-7890", `off-platform-contact "62 812-3456-7890"`) // the + is no digit
	checkDetect(t, d, "123, 1234567, 12 34 56 78")                                    // 3, 7 and 8 digits
	checkDetect(t, d, "kode 4 8 2 9", `secret-shared "4 8 2 9"`)
}

func TestDetectOnNothing(t *testing.T) {
	d := mustLoad(t, "kind apk-file\nmatch .apk\n")
	for _, text := range []string{"", " ", "🙏🙏", "\xff\xfe", strings.Repeat(".", 100)} {
		if got := d.Detect(text); len(got) != 0 {
			t.Errorf("Detect(%q) = %v", text, got)
		}
	}
}

func TestExplainNamesTheLinesBehindEachMatch(t *testing.T) {
	d := mustLoad(t, "kind credential-request\nmatch kirim otp\n# why\nunless jangan before 2\n")
	const text = "jangan kirim otp. ok nanti saya kirim otp"
	got := d.Explain(text)
	if len(got) != 2 {
		t.Fatalf("Explain = %+v", got)
	}
	first, second := got[0], got[1]
	if first.Rule.String() != "a.txt:2" || first.Rule.Text != "match kirim otp" || first.SuppressedBy == nil ||
		first.SuppressedBy.String() != "a.txt:4" || first.SuppressedBy.Text != "unless jangan before 2" || first.Text != "kirim otp" {
		t.Errorf("first match %+v (suppressed by %+v)", first, first.SuppressedBy)
	}
	if second.SuppressedBy != nil || second.Start != strings.LastIndex(text, "kirim") {
		t.Errorf("second match %+v", second)
	}
}

// TestDetectIsSafeForConcurrentUse runs one detector from many goroutines
// (with -race): the pooled buffers of one message never serve another.
func TestDetectIsSafeForConcurrentUse(t *testing.T) {
	d := embeddedDetector(t)
	messages := []string{"kirim kode otp nya kak", "lanjut di wa 0812 3456 7890", "Lacak_Paket.apk", "harga Rp 150.000"}
	want := make([][]string, len(messages))
	for i, m := range messages {
		want[i] = texts(d.Detect(m))
	}
	done := make(chan bool)
	for g := range 8 {
		go func() {
			ok := true
			for i := range 200 {
				m := (g + i) % len(messages)
				ok = ok && slices.Equal(texts(d.Detect(messages[m])), want[m])
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("a message got another's signals")
		}
	}
}

// TestEmbeddedPatternsSeeThroughDisguises tries the ways a scammer hides
// the words from a filter, and safety advice that must stay quiet.
func TestEmbeddedPatternsSeeThroughDisguises(t *testing.T) {
	d := embeddedDetector(t)
	tests := []struct {
		text string
		want verdict.SignalKind // "" for none
	}{
		{"k\u200bo\u200bd\u200be OTP nya kirim ke sini ya", verdict.SignalCredentialRequest},
		{"ＫＩＲＩＭ ＯＴＰ ＮＹＡ", verdict.SignalCredentialRequest},
		{"jangan khawatir, kirim kode otp nya ke saya aja", verdict.SignalCredentialRequest},
		{"jangan lupa kirim kode verifikasinya ya", verdict.SignalCredentialRequest},
		{"kirim 0 T P nya", verdict.SignalCredentialRequest},
		{"K.O.D.E  O.T.P  nya dong", verdict.SignalCredentialRequest},
		{"OTPppp nya mana kak? kirim sekarang", verdict.SignalCredentialRequest},
		{"O.T.P: 4️⃣8️⃣2️⃣9️⃣1️⃣0️⃣", verdict.SignalSecretShared},
		{"Lacak Paket.pdf.APK", verdict.SignalAPKFile},
		{"w h a t s a p p 0812 3456 7890", verdict.SignalOffPlatformContact},
		{"TRANSFER LGSG ke rekening pribadi", verdict.SignalOffPlatformPayment},
		{"Jangan pernah kirim OTP ke siapa pun, termasuk ke aku", ""},
		{"Blibli tidak pernah minta kode OTP. Hati-hati ya!", ""},
		{"nomor virtual account: 8808 1234 5678 9012, transfer ke situ ya kak", ""},
		{"kode pos 40812, kirim ke alamat a.n. Budi", ""},
	}
	for _, tt := range tests {
		var kinds []verdict.SignalKind
		for _, s := range d.Detect(tt.text) {
			kinds = append(kinds, s.Kind)
		}
		if tt.want == "" && len(kinds) > 0 || tt.want != "" && !slices.Contains(kinds, tt.want) {
			t.Errorf("Detect(%q) = %v, want %q", tt.text, kinds, tt.want)
		}
	}
}
