package linkify

import (
	"reflect"
	"strings"
	"testing"

	"github.com/blibli/safelink/gateway/linksign"
)

// addSeeds adds the find cases, and the same messages rewritten, to the seed
// corpus of f.
func addSeeds(f *testing.F) {
	r := mustRewriter(f, base, lengthSigner{})
	for _, tc := range findCases {
		in := stripMarks(tc.in)
		f.Add(in)
		f.Add(r.Rewrite(in, "").Text)
	}
	for _, glued := range []string{
		"x.com/a\u200b.🔥\u202ehttps://y.com/(b)c)",
		"intent://\u200bevil.com/\xff\xfe bit.ly/x",
		"blibli.com-bit.ly/x", "www.blibli.com.Mau", "blibli.com:x", "blibli.com@x bit.ly/y",
		"git+bit.ly/x", "-bit.ly/x", "shttp://x.com", "(https://x.com/a_(b)", "a@b.com/bit.ly",
		"“bit.ly/x”,s.id/y…wa.me/1", "HTTPS://LINK.BLIBLI.COM/go?u=x", "https://link.blibli.com/go?",
	} {
		f.Add(glued)
	}
}

// FuzzFind checks that Find returns links in order, without overlap, each
// the text at its span, with an http or https URL that is that text or
// https:// and that text.
func FuzzFind(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		end := 0
		for i, l := range Find(text) {
			if l.Start < end || l.End <= l.Start || l.End > len(text) {
				t.Fatalf("link %d spans %d:%d after a link ending at %d in %d bytes", i, l.Start, l.End, end, len(text))
			}
			if l.Text != text[l.Start:l.End] {
				t.Fatalf("link %d text %q, but the input holds %q", i, l.Text, text[l.Start:l.End])
			}
			if l.URL != l.Text && l.URL != "https://"+l.Text {
				t.Fatalf("link %d URL %q for text %q", i, l.URL, l.Text)
			}
			end = l.End
		}
	})
}

// fuzzKeys is a keyring for the fuzz targets.
func fuzzKeys(f *testing.F) *linksign.Keyring {
	keys, err := linksign.ParseKeyring("k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	if err != nil {
		f.Fatal(err)
	}
	return keys
}

// FuzzUnrewrite checks the rewrite round trip: Unrewrite gives back the
// input of Rewrite from its text and links.
func FuzzUnrewrite(f *testing.F) {
	addSeeds(f)
	r := mustRewriter(f, base, fuzzKeys(f))
	f.Fuzz(func(t *testing.T, text string) {
		res := r.Rewrite(text, "")
		back, err := Unrewrite(res.Text, res.Links)
		if err != nil {
			t.Fatalf("Unrewrite(Rewrite(%q)): %v", text, err)
		}
		if back != text {
			t.Fatalf("Unrewrite(Rewrite(%q)) = %q", text, back)
		}
	})
}

// FuzzRewriteIdempotent checks that rewriting a rewritten message changes
// nothing: gateway links are kept as they are.
func FuzzRewriteIdempotent(f *testing.F) {
	addSeeds(f)
	r := mustRewriter(f, base, fuzzKeys(f))
	f.Fuzz(func(t *testing.T, text string) {
		once := r.Rewrite(text, "").Text
		if twice := r.Rewrite(once, "").Text; twice != once {
			t.Fatalf("Rewrite(%q):\nonce  %q\ntwice %q", text, once, twice)
		}
	})
}

// FuzzRewriteLeavesNoLink checks that nothing Find or the stricter
// strictLinks reads as a link in a rewritten message stands outside a
// gateway link.
func FuzzRewriteLeavesNoLink(f *testing.F) {
	addSeeds(f)
	r := mustRewriter(f, base, fuzzKeys(f))
	f.Fuzz(func(t *testing.T, text string) {
		checkNothingRaw(t, r, text)
	})
}

// FuzzFindWordByWord checks that Find reads each word on its own, however
// much text comes before it: the links of a+" "+b are those of a and those
// of b, and so are they after 64 KiB of chat without links.
func FuzzFindWordByWord(f *testing.F) {
	addSeeds(f)
	pad := strings.Repeat("Halo kak, barangnya masih ready? ", (64<<10)/33)
	if links := Find(pad); len(links) != 0 {
		f.Fatalf("the padding holds links: %v", links)
	}
	f.Fuzz(func(t *testing.T, text string) {
		a, b, _ := strings.Cut(text, " ")
		for _, before := range []string{a, pad} {
			want := append(Find(before), shift(Find(b), len(before)+1)...)
			if got := Find(before + " " + b); !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
				t.Fatalf("Find(%.100q + \" \" + %q) = %v, want %v", before, b, got, want)
			}
		}
	})
}

// shift returns links with their offsets moved by n.
func shift(links []Link, n int) []Link {
	for i := range links {
		links[i].Start += n
		links[i].End += n
	}
	return links
}
