package signals

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/verdict"
)

func fuzzDetector(f *testing.F) *Detector {
	d, err := Load(safelink.Signals())
	if err != nil {
		f.Fatal(err)
	}
	return d
}

// FuzzDetect checks, on any message, that Detect does not panic and that
// its signals are sound: inside the message, on character boundaries,
// Text the bytes they span, in order, one per overlap of a kind. It also
// holds three equivalences: changing the case of ASCII letters changes
// nothing, nor does writing them in fullwidth forms (which the detector
// reads outside its path for ASCII), and spelling out a pattern word of a
// signal letter by letter ("o t p") keeps the signal.
func FuzzDetect(f *testing.F) {
	d := fuzzDetector(f)
	for _, seed := range []string{
		"kak kirim kode OTP nya ke sini ya",
		"ini otp nya 482910",
		"lanjut di wa aja 0812-3456-7890, transfer langsung ke rekening saya",
		"Lacak_Paket.pdf.apk",
		"jangan kasih OTP ke siapa pun ya kak",
		"k o d e 0TP nya dong 🙏",
		"\xffkirim\u200b otp\u0301?! a.n. budi",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sigs := d.Detect(text)
		checkSignals(t, text, sigs)
		if flipped := flipCase(text); !slices.Equal(d.Detect(flipped), withText(flipped, sigs)) {
			t.Fatalf("the signals of %q change with case in %q:\n%v\n%v", text, flipped, sigs, d.Detect(flipped))
		}
		if wide, at := fullwidth(text); !slices.Equal(d.Detect(wide), moved(wide, at, sigs)) {
			t.Fatalf("the signals of %q change in fullwidth letters, %q:\n%v\n%v", text, wide, sigs, d.Detect(wide))
		}
		for _, s := range sigs {
			lo, hi, ok := d.spellableWord(text, s)
			if !ok {
				continue
			}
			spelled := text[:lo] + strings.Join(strings.Split(text[lo:hi], ""), " ") + text[hi:]
			if !slices.ContainsFunc(d.Detect(spelled), func(o Signal) bool { return o.Kind == s.Kind }) {
				t.Fatalf("%s of %q is lost when %q is spelled out: %q", s.Kind, text, text[lo:hi], spelled)
			}
		}
	})
}

func checkSignals(t *testing.T, text string, sigs []Signal) {
	t.Helper()
	boundary := make([]bool, len(text)+1)
	for i := range text {
		boundary[i] = true
	}
	boundary[len(text)] = true
	lastEnd := map[verdict.SignalKind]int{}
	for i, s := range sigs {
		switch {
		case s.Start < 0 || s.Start >= s.End || s.End > len(text):
			t.Fatalf("signal %+v outside %q", s, text)
		case !boundary[s.Start] || !boundary[s.End]:
			t.Fatalf("signal %+v of %q is not on character boundaries", s, text)
		case s.Text != text[s.Start:s.End]:
			t.Fatalf("signal %+v: Text is not %q", s, text[s.Start:s.End])
		case !slices.Contains(verdict.SignalKinds, s.Kind):
			t.Fatalf("signal %+v has an unknown kind", s)
		case i > 0 && (s.Start < sigs[i-1].Start || s.Start == sigs[i-1].Start && kindOrder(s.Kind) <= kindOrder(sigs[i-1].Kind)):
			t.Fatalf("signals out of order: %+v after %+v", s, sigs[i-1])
		}
		if end, ok := lastEnd[s.Kind]; ok && s.Start < end {
			t.Fatalf("two %s signals overlap in %q: %v", s.Kind, text, sigs)
		}
		lastEnd[s.Kind] = s.End
	}
}

func kindOrder(k verdict.SignalKind) int { return slices.Index(verdict.SignalKinds, k) }

// flipCase swaps the case of every ASCII letter.
func flipCase(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			b[i] = c ^ 0x20
		}
	}
	return string(b)
}

// fullwidth writes every ASCII letter and digit of s in its fullwidth
// form (Ｏ for O), which the detector reads as the same letter, and
// returns where each byte offset of s, and its end, went.
func fullwidth(s string) (string, []int) {
	var b strings.Builder
	at := make([]int, len(s)+1)
	for i := 0; i < len(s); i++ {
		at[i] = b.Len()
		switch c := s[i]; {
		case '0' <= c && c <= '9', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
			b.WriteRune(rune(c) - '!' + '！')
		default:
			b.WriteByte(c)
		}
	}
	at[len(s)] = b.Len()
	return b.String(), at
}

// moved returns sigs at the offsets at gives them in text.
func moved(text string, at []int, sigs []Signal) []Signal {
	out := make([]Signal, len(sigs))
	for i, s := range sigs {
		s.Start, s.End = at[s.Start], at[s.End]
		s.Text = text[s.Start:s.End]
		out[i] = s
	}
	return out
}

// withText returns sigs with their Text taken from text (same offsets).
func withText(text string, sigs []Signal) []Signal {
	out := make([]Signal, len(sigs))
	for i, s := range sigs {
		s.Text = text[s.Start:s.End]
		out[i] = s
	}
	return out
}

// spellableWord finds in s a word of plain ASCII letters that a pattern
// uses, standing alone between separators, with no single letter or digit
// one separator away that spelling it out would join: the case the
// equivalence holds for.
func (d *Detector) spellableWord(text string, s Signal) (lo, hi int, ok bool) {
	chars, pieces := scan(new(workspace), text)
	single := func(p piece) bool { return p.hi-p.lo == 1 }
	for i, p := range pieces {
		lo, hi := int(chars[p.lo].start), int(chars[p.hi-1].end)
		w := text[lo:hi]
		switch {
		case lo < s.Start || hi > s.End || p.hi-p.lo < 2 || hi-lo != p.hi-p.lo:
			continue
		case strings.ContainsFunc(w, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') }):
			continue
		case !d.vocab.words[strings.ToLower(w)]:
			continue
		case i > 0 && p.gap == 1 && single(pieces[i-1]), i+1 < len(pieces) && pieces[i+1].gap == 1 && single(pieces[i+1]):
			continue
		}
		return lo, hi, utf8.ValidString(w)
	}
	return 0, 0, false
}

// FuzzParseFile checks that the parser never panics and that every
// problem names the file and a line of it.
func FuzzParseFile(f *testing.F) {
	f.Add("list ask: minta, kirim\nkind credential-request\nmatch {ask} ~3 otp !voucher\nunless jangan !lupa before 3\n")
	f.Add("kind apk-file\nmatch .apk <digits:4-8> <phone>\nunless x around 20\n")
	f.Add("kind\nlist :\nmatch ~\nunless before\nlist a: ,\nmatch {}\nmatch <digits:>\n")
	f.Fuzz(func(t *testing.T, text string) {
		_, errs := parseFile("p.txt", strings.NewReader(text))
		lines := strings.Count(text, "\n") + 1
		for _, e := range errs {
			if e.File != "p.txt" || e.Line < 1 || e.Line > lines+1 || e.Msg == "" {
				t.Fatalf("error %v names no line of the %d", e, lines)
			}
		}
	})
}
