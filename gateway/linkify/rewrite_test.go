package linkify

import (
	"errors"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blibli/safelink/gateway/linksign"
	"github.com/blibli/safelink/gateway/weburl"
)

// lengthSigner signs a target with its length, so that expected gateway
// links stay readable while still depending on the target.
type lengthSigner struct{}

func (lengthSigner) Sign(target, context string) string {
	return "k1." + strconv.Itoa(len(target)) + context
}

const base = "https://link.blibli.com"

func mustRewriter(t testing.TB, base string, signer Signer) *Rewriter {
	t.Helper()
	r, err := NewRewriter(base, signer)
	if err != nil {
		t.Fatalf("NewRewriter(%q): %v", base, err)
	}
	return r
}

func TestNewRewriterErrors(t *testing.T) {
	tests := []struct {
		base    string
		wantErr string
	}{
		{"", "scheme must be http or https"},
		{"link.blibli.com", "scheme must be http or https"},
		{"ftp://link.blibli.com", "scheme must be http or https"},
		{"https://", "has no host"},
		{"https:///go", "has no host"},
		{"https://admin@link.blibli.com", "must not carry user info"},
		{"https://link.blibli.com?a=1", "must not carry a query or fragment"},
		{"https://link.blibli.com?", "must not carry a query or fragment"},
		{"https://link.blibli.com#x", "must not carry a query or fragment"},
		{"https://link.blibli.com#", "must not carry a query or fragment"},
		{"https://link.blibli.com/a)", "does not read as one link"},
		{"https://link.blibli.com/a b", "does not read as one link"},
		{"https://link.blibli.com:bad", "gateway base URL"},
	}
	for _, tc := range tests {
		_, err := NewRewriter(tc.base, lengthSigner{})
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("NewRewriter(%q) = %v, want error containing %q", tc.base, err, tc.wantErr)
		}
	}
}

// spaceSigner returns signatures with characters that need escaping.
type spaceSigner struct{}

func (spaceSigner) Sign(string, string) string { return "k1.a b&c" }

func TestHrefEscapesSignature(t *testing.T) {
	r := mustRewriter(t, base, spaceSigner{})
	href := r.Href("https://bit.ly/x", "")
	if want := base + "/go?u=https%3A%2F%2Fbit.ly%2Fx&s=k1.a+b%26c"; href != want {
		t.Fatalf("Href = %q, want %q", href, want)
	}
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query().Get("s"); got != "k1.a b&c" {
		t.Errorf("s decodes to %q, want the signature", got)
	}
}

func TestHref(t *testing.T) {
	tests := []struct {
		base   string
		signer Signer
		target string
		want   string
	}{
		{base, lengthSigner{}, "https://bit.ly/x", base + "/go?u=https%3A%2F%2Fbit.ly%2Fx&s=k1.16"},
		{base + "/", lengthSigner{}, "https://bit.ly/x", base + "/go?u=https%3A%2F%2Fbit.ly%2Fx&s=k1.16"},
		{base, nil, "https://bit.ly/x", base + "/go?u=https%3A%2F%2Fbit.ly%2Fx"},
		{"http://localhost:8080/safelink", nil, "https://bit.ly/x", "http://localhost:8080/safelink/go?u=https%3A%2F%2Fbit.ly%2Fx"},
		{base, nil, "https://www.blibli.com/cari?q=sepatu+lari&page=2#atas",
			base + "/go?u=https%3A%2F%2Fwww.blibli.com%2Fcari%3Fq%3Dsepatu%2Blari%26page%3D2%23atas"},
		{base, nil, "https://пример.рф/путь",
			base + "/go?u=https%3A%2F%2F%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80.%D1%80%D1%84%2F%D0%BF%D1%83%D1%82%D1%8C"},
	}
	for _, tc := range tests {
		if got := mustRewriter(t, tc.base, tc.signer).Href(tc.target, ""); got != tc.want {
			t.Errorf("Href(%q) with base %q = %q, want %q", tc.target, tc.base, got, tc.want)
		}
	}
}

// TestHrefCutsTooLongTarget checks that the gateway link of a URL longer
// than /go accepts carries a cut of it that /go still refuses as too long.
func TestHrefCutsTooLongTarget(t *testing.T) {
	r := mustRewriter(t, base, lengthSigner{})
	for _, target := range []string{
		"https://x.com/" + strings.Repeat("a", weburl.MaxLength-len("https://x.com/")),
		"https://x.com/" + strings.Repeat("a", weburl.MaxLength),
		"https://x.com/" + strings.Repeat("é", weburl.MaxLength),
		"https://x.com/" + strings.Repeat("a", 3) + strings.Repeat("😊", weburl.MaxLength/4),
	} {
		href, err := url.Parse(r.Href(target, ""))
		if err != nil {
			t.Fatal(err)
		}
		u := href.Query().Get("u")
		if len(target) <= weburl.MaxLength {
			if u != target {
				t.Errorf("a target of %d bytes is cut to %d", len(target), len(u))
			}
			continue
		}
		var problem *weburl.Error
		if _, err := weburl.Parse(u); !errors.As(err, &problem) || problem.Problem != weburl.ProblemTooLong ||
			!strings.HasPrefix(target, u) || !utf8.ValidString(u) || len(u) > weburl.MaxLength+utf8.UTFMax {
			t.Errorf("a target of %d bytes is cut to %d bytes (%v), want a prefix /go refuses as too long", len(target), len(u), err)
		}
		if want := "k1." + strconv.Itoa(len(u)); href.Query().Get("s") != want {
			t.Errorf("the signature is %q, want one of the cut target", href.Query().Get("s"))
		}
	}
}

func TestRewrite(t *testing.T) {
	const gw = base + "/go?u=https%3A%2F%2Fbit.ly%2Fx&s=k1.16"
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"no link", "halo kak, ready?", "halo kak, ready?"},
		{"one bare link", "promo bit.ly/x ya", "promo " + gw + " ya"},
		{"punctuation stays", "(cek https://x.com/a).", "(cek " + base + "/go?u=https%3A%2F%2Fx.com%2Fa&s=k1.15)."},
		{"two links and emoji", "🔥 blibli.com\nwa.me/62811 🙏",
			"🔥 " + base + "/go?u=https%3A%2F%2Fblibli.com&s=k1.18\n" + base + "/go?u=https%3A%2F%2Fwa.me%2F62811&s=k1.19 🙏"},
		{"gateway link kept", "klik " + gw + " ya", "klik " + gw + " ya"},
		{"gateway link with other case kept", "HTTPS://LINK.BLIBLI.COM/go?u=x", "HTTPS://LINK.BLIBLI.COM/go?u=x"},
		{"gateway link and new link", gw + " dan bit.ly/x", gw + " dan " + gw},
		{"lookalike gateway host", "https://link.blibli.com.evil.com/go?u=x",
			base + "/go?u=https%3A%2F%2Flink.blibli.com.evil.com%2Fgo%3Fu%3Dx&s=k1.39"},
		{"gateway host as user info", "https://link.blibli.com@evil.com/go?u=x",
			base + "/go?u=https%3A%2F%2Flink.blibli.com%40evil.com%2Fgo%3Fu%3Dx&s=k1.39"},
		{"other gateway path", "https://link.blibli.com/gone?u=x",
			base + "/go?u=https%3A%2F%2Flink.blibli.com%2Fgone%3Fu%3Dx&s=k1.32"},
		{"gateway without scheme", "link.blibli.com/go?u=x",
			base + "/go?u=https%3A%2F%2Flink.blibli.com%2Fgo%3Fu%3Dx&s=k1.30"},
		{"gateway over http", "http://link.blibli.com/go?u=x",
			base + "/go?u=http%3A%2F%2Flink.blibli.com%2Fgo%3Fu%3Dx&s=k1.29"},
	}
	r := mustRewriter(t, base, lengthSigner{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := r.Rewrite(tc.in, "")
			if res.Text != tc.want {
				t.Errorf("Rewrite(%q).Text =\n%q, want\n%q", tc.in, res.Text, tc.want)
			}
			found := Find(tc.in)
			if len(res.Links) != len(found) {
				t.Fatalf("Rewrite(%q) has %d links, Find has %d", tc.in, len(res.Links), len(found))
			}
			for i, l := range res.Links {
				if l.Link != found[i] {
					t.Errorf("link %d = %+v, want the found link %+v", i, l.Link, found[i])
				}
				if got := res.Text[l.HrefStart:l.HrefEnd]; got != l.Href {
					t.Errorf("link %d: text at its href span is %q, want %q", i, got, l.Href)
				}
			}
		})
	}
}

func TestRewriteSpans(t *testing.T) {
	r := mustRewriter(t, base, nil)
	res := r.Rewrite("a bit.ly/x b", "")
	want := []Rewritten{{
		Link:      Link{Text: "bit.ly/x", Start: 2, End: 10, URL: "https://bit.ly/x"},
		Href:      base + "/go?u=https%3A%2F%2Fbit.ly%2Fx",
		HrefStart: 2,
		HrefEnd:   2 + len(base+"/go?u=https%3A%2F%2Fbit.ly%2Fx"),
	}}
	if !reflect.DeepEqual(res.Links, want) {
		t.Errorf("Rewrite links = %+v, want %+v", res.Links, want)
	}
}

// TestRewriteSignatureVerifies checks the contract with /go: the u, c and s
// parameters of a gateway link, as a request handler decodes them, verify,
// and c is the message context given.
func TestRewriteSignatureVerifies(t *testing.T) {
	keys, err := linksign.ParseKeyring("k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	if err != nil {
		t.Fatal(err)
	}
	r := mustRewriter(t, base, keys)
	for _, context := range []string{"", "credential-request.apk-file"} {
		for _, tc := range findCases {
			in := stripMarks(tc.in)
			for _, l := range r.Rewrite(in, context).Links {
				if r.isGatewayLink(l.Text) {
					continue
				}
				href, err := url.Parse(l.Href)
				if err != nil {
					t.Fatalf("%s: gateway link %q: %v", tc.name, l.Href, err)
				}
				q := href.Query()
				if q.Get("u") != l.URL || q.Get("c") != context {
					t.Errorf("%s: u = %q, c = %q; want %q, %q", tc.name, q.Get("u"), q.Get("c"), l.URL, context)
				}
				if got := keys.Check(q.Get("u"), q.Get("c"), q.Get("s")); got != linksign.SignedValid {
					t.Errorf("%s: Check on %q = %v, want signed-valid", tc.name, l.Href, got)
				}
			}
		}
	}
}

func TestUnrewriteAndIdempotence(t *testing.T) {
	r := mustRewriter(t, base, lengthSigner{})
	messages := longMessages()
	for _, tc := range findCases {
		messages[tc.name] = stripMarks(tc.in)
	}
	for name, in := range messages {
		res := r.Rewrite(in, "")
		back, err := Unrewrite(res.Text, res.Links)
		if err != nil || back != in {
			t.Errorf("%s: Unrewrite(Rewrite(%.100q)) = %.100q, %v", name, in, back, err)
		}
		if again := r.Rewrite(res.Text, "").Text; again != res.Text {
			t.Errorf("%s: Rewrite twice = %.100q, once = %.100q", name, again, res.Text)
		}
	}
}

func TestUnrewriteErrors(t *testing.T) {
	r := mustRewriter(t, base, lengthSigner{})
	res := r.Rewrite("cek bit.ly/x dan blibli.com", "")
	first, second := res.Links[0], res.Links[1]
	shifted := first
	shifted.HrefStart++
	shifted.HrefEnd++
	tests := []struct {
		name  string
		text  string
		links []Rewritten
	}{
		{"text edited inside a link", strings.Replace(res.Text, "bit.ly", "bit.lY", 1), res.Links},
		{"span moved", res.Text, []Rewritten{shifted}},
		{"spans out of order", res.Text, []Rewritten{second, first}},
		{"span past the end", res.Text[:first.HrefEnd-1], []Rewritten{first}},
	}
	for _, tc := range tests {
		if _, err := Unrewrite(tc.text, tc.links); !errors.Is(err, ErrNotRewritten) {
			t.Errorf("%s: Unrewrite error = %v, want ErrNotRewritten", tc.name, err)
		}
	}
}

// stripMarks removes the ⟦ ⟧ link marks of a find case.
func stripMarks(s string) string {
	return strings.NewReplacer("⟦", "", "⟧", "").Replace(s)
}
