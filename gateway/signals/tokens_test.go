package signals

import (
	"slices"
	"strings"
	"testing"
)

// testVocabulary holds the words the spaced-out runs below spell.
var testVocabulary = &vocabulary{words: map[string]bool{"kode": true, "otp": true, "transfer": true, "wa": true}, longest: 8}

// words returns the first form of each token of text.
func words(text string) []string {
	var out []string
	for _, t := range testVocabulary.tokenize(new(workspace), text) {
		out = append(out, t.forms[0])
	}
	return out
}

func TestTokenizeReadsWordsAsChatWritesThem(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Kirim KODE OTP-nya ya!", []string{"kirim", "kode", "otpnya", "ya"}},
		{"kode nya, 0812 nya", []string{"kodenya", "0812", "nya"}}, // -nya written apart is the word's suffix
		{"k o d e", []string{"kode"}},
		{"k o d e o t p", []string{"kode", "otp"}}, // spelled out, read as the words it spells
		{"t r a n s f e r  langsung", []string{"transfer", "langsung"}},
		{"o t p 4 8 2 9", []string{"otp", "4829"}},
		{"x y z q", []string{"xyzq"}}, // no pattern words: whole
		{"a.n. Budi", []string{"an", "budi"}},
		{"w.a 0812.3456.7890", []string{"wa", "081234567890"}},
		{"+62 812-3456-7890", []string{"628123456789" + "0"}},
		{"Rp 1.250.000, ongkir 18rb", []string{"rp", "1250000", "ongkir", "18", "rb"}},
		{"budi123 wa08123", []string{"budi", "123", "wa", "08123"}},
		{"2pcs v2 0tp", []string{"2pcs", "v2", "0tp"}}, // one digit stays in the word
		{"wa'alaikumsalam, don’t", []string{"waalaikumsalam", "dont"}},
		{"customer.care@blibli.com p@ss", []string{"customer", "care@blibli", "com", "p@ss"}},
		{"o\u200bt\u200bp", []string{"otp"}},        // zero-width spaces inside a word
		{"ＯＴＰ Kóde", []string{"otp", "kode"}},       // fullwidth and accented letters
		{"4️⃣5️⃣1️⃣2️⃣", []string{"4512"}},          // keycap digits
		{"08.00 - 17.00", []string{"0800", "1700"}}, // a dash with spaces apart joins nothing
		{"a\nb", []string{"a", "b"}},                // letters a line apart are not spelled out
		{"", nil},
		{"?! ... 🙏", nil},
	}
	for _, tt := range tests {
		if got := words(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestTokenFormsReadDigitsRepeatsAndSuffixes(t *testing.T) {
	tests := []struct {
		text string
		want []string // among the forms of the one token
	}{
		{"0TP", []string{"0tp", "otp"}},
		{"p@ssw0rd", []string{"password"}},
		{"wh4tsapp", []string{"whatsapp"}},
		{"otppp", []string{"otp"}},
		{"kakkk", []string{"kak"}},
		{"kodenya", []string{"kodenya", "kode"}},
		{"kirimkan", []string{"kirim"}},
		{"kasihin", []string{"kasih"}},
		{"0tpnya", []string{"otpnya", "otp"}},
	}
	for _, tt := range tests {
		toks := testVocabulary.tokenize(new(workspace), tt.text)
		if len(toks) != 1 {
			t.Errorf("%q: %d tokens", tt.text, len(toks))
			continue
		}
		for _, w := range tt.want {
			if !slices.Contains(toks[0].forms, w) {
				t.Errorf("%q: forms %q lack %q", tt.text, toks[0].forms, w)
			}
		}
	}
	if f := testVocabulary.tokenize(new(workspace), "pin")[0].forms; !slices.Equal(f, []string{"pin"}) {
		t.Errorf("pin: forms %q; a suffix leaves two letters at least", f)
	}
}

func TestTokenFormsMarkAFileExtension(t *testing.T) {
	toks := testVocabulary.tokenize(new(workspace), "Lacak_Paket.apk apk .APK")
	var ext []bool
	for _, tok := range toks {
		ext = append(ext, slices.Contains(tok.forms, ".apk"))
	}
	if !slices.Equal(ext, []bool{false, false, true, false, true}) {
		t.Errorf("tokens with .apk: %v", ext)
	}
}

func TestTokenSpansAreTheBytesOfTheWords(t *testing.T) {
	text := "🙏 Kak, k o d e\u0301 0812-3456!"
	var got []string
	for _, tok := range testVocabulary.tokenize(new(workspace), text) {
		got = append(got, text[tok.start:tok.end])
	}
	want := []string{"Kak", "k o d e\u0301", "0812-3456"}
	if !slices.Equal(got, want) {
		t.Errorf("spans %q, want %q", got, want)
	}
}

func TestTokenBreaksAtPunctuationThatEndsAPhrase(t *testing.T) {
	text := "masuk ga? boleh. wa.me a.n. budi, ya: ok\nlagi… x"
	var brk []string
	for _, tok := range testVocabulary.tokenize(new(workspace), text) {
		if tok.brk {
			brk = append(brk, text[tok.start:tok.end])
		}
	}
	// A dot and a space break, even after an abbreviation (a.n.); the dot
	// inside wa.me or a.n. does not.
	if want := []string{"boleh", "wa", "budi", "ya", "ok", "lagi", "x"}; !slices.Equal(brk, want) {
		t.Errorf("tokens after a break: %q, want %q", brk, want)
	}
}

func TestTokenizeLongRuns(t *testing.T) {
	// A spelled-out run and a number as long as the message are read in
	// one piece each.
	if w := words(strings.Repeat("k ", 1000)); len(w) != 1 || len(w[0]) != 1000 {
		t.Errorf("spelled-out run: %d words", len(w))
	}
	if w := words(strings.Repeat("12 ", 1000)); len(w) != 1 || len(w[0]) != 2000 {
		t.Errorf("number: %d words", len(w))
	}
}

func TestCutAtKeepsWholeCharacters(t *testing.T) {
	tests := []struct {
		text string
		n    int
		want string
	}{
		{"otp", 5, "otp"},
		{"otp", 3, "otp"},
		{"otp", 2, "ot"},
		{"ok🙏", 5, "ok"}, // the cut would split the emoji's 4 bytes
		{"ok🙏", 6, "ok🙏"},
		{"🙏", 3, ""},
	}
	for _, tt := range tests {
		if got := cutAt(tt.text, tt.n); got != tt.want {
			t.Errorf("cutAt(%q, %d) = %q, want %q", tt.text, tt.n, got, tt.want)
		}
	}
}
