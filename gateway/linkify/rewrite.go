package linkify

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/blibli/safelink/gateway/weburl"
)

// Signer signs the absolute target URL of a gateway link with the message
// context it carries (its c parameter; empty for none); the signature goes,
// query-escaped, into the link's s parameter.
type Signer interface {
	Sign(target, context string) string
}

// Rewriter turns the links of chat messages into links to the gateway's /go
// endpoint. It is safe for concurrent use.
type Rewriter struct {
	base   string // public base URL, without a trailing slash
	signer Signer // nil: links carry no signature
}

// NewRewriter returns a Rewriter for the gateway whose public base URL is
// base (for example "https://link.blibli.com"; a trailing slash is dropped).
// With a nil signer, gateway links carry no s parameter.
//
// The base URL must be an http or https URL without user info, query or
// fragment, and a gateway link made with it and the signer must read as one
// link in chat text: a rewritten message is then recognised as such, which
// keeps rewriting idempotent.
func NewRewriter(base string, signer Signer) (*Rewriter, error) {
	base = strings.TrimSuffix(base, "/")
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("linkify: gateway base URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("linkify: gateway base URL %q: scheme must be http or https", base)
	case u.Host == "":
		return nil, fmt.Errorf("linkify: gateway base URL %q has no host", base)
	case u.User != nil:
		return nil, fmt.Errorf("linkify: gateway base URL %q must not carry user info", base)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(base, "#"):
		return nil, fmt.Errorf("linkify: gateway base URL %q must not carry a query or fragment", base)
	}
	r := &Rewriter{base: base, signer: signer}
	sample := r.Href("https://blibli.com/", "")
	if links := Find(sample); len(links) != 1 || links[0].Text != sample {
		return nil, fmt.Errorf("linkify: gateway base URL %q does not read as one link in chat text", base)
	}
	return r, nil
}

// Rewritten is a link of a rewritten message.
type Rewritten struct {
	// Link is the link as found in the input: its text, its span in the
	// input and its absolute URL.
	Link
	// Href is the gateway link that replaced it, or the link's own text when
	// it already was a gateway link. It is always an absolute URL.
	Href string
	// HrefStart and HrefEnd are the byte offsets of Href in the rewritten
	// text.
	HrefStart, HrefEnd int
}

// Result is a rewritten message.
type Result struct {
	// Text is the message with every link replaced by its Href; all other
	// bytes are those of the input.
	Text string
	// Links are the message's links in order.
	Links []Rewritten
}

// Rewrite replaces every link of text by a gateway link carrying context,
// the signals of the message as its c parameter (empty for none). Links
// written as a URL of the gateway's /go endpoint, scheme included, are left
// as they are, so rewriting a rewritten message changes nothing. That is
// safe: /go checks the signature of whatever reaches it.
func (r *Rewriter) Rewrite(text, context string) Result {
	links := Find(text)
	if len(links) == 0 {
		return Result{Text: text}
	}
	out := make([]Rewritten, len(links))
	// Room for the text and each link's href, most in one allocation: the
	// base, the URL escaped (twice its length covers most escaping), the
	// context, the parameters' names and the signature.
	size := len(text)
	for _, l := range links {
		size += len(r.base) + 2*len(l.URL) + len(context) + 64
	}
	var b strings.Builder
	b.Grow(size)
	last := 0
	for i, l := range links {
		b.WriteString(text[last:l.Start])
		start := b.Len()
		if r.isGatewayLink(l.Text) {
			b.WriteString(l.Text)
		} else {
			r.writeHref(&b, l.URL, context)
		}
		out[i] = Rewritten{Link: l, HrefStart: start, HrefEnd: b.Len()}
		last = l.End
	}
	b.WriteString(text[last:])
	rewritten := b.String()
	for i := range out {
		out[i].Href = rewritten[out[i].HrefStart:out[i].HrefEnd]
	}
	return Result{Text: rewritten, Links: out}
}

// Href returns the gateway link for the absolute URL target found in a
// message with the signals context:
// <base>/go?u=<target, query-escaped>&c=<context>&s=<signature of target
// and context>, without &c= when context is empty and without &s= when the
// Rewriter has no signer.
//
// A target longer than /go accepts (weburl.MaxLength bytes) is cut just
// past that length, at the end of a character: /go answers it with its 400
// page as it would the whole, and the gateway link stays within what
// servers and proxies take in a request line.
func (r *Rewriter) Href(target, context string) string {
	var b strings.Builder
	r.writeHref(&b, target, context)
	return b.String()
}

// writeHref writes the gateway link for target and context to b.
func (r *Rewriter) writeHref(b *strings.Builder, target, context string) {
	target = cutTooLong(target)
	b.WriteString(r.base)
	b.WriteString("/go?u=")
	b.WriteString(url.QueryEscape(target))
	if context != "" {
		b.WriteString("&c=")
		b.WriteString(url.QueryEscape(context))
	}
	if r.signer != nil {
		b.WriteString("&s=")
		b.WriteString(url.QueryEscape(r.signer.Sign(target, context)))
	}
}

// cutTooLong returns target, or when it is longer than weburl.MaxLength,
// target cut just past that length, at the end of a character: still too
// long for /go.
func cutTooLong(target string) string {
	if len(target) <= weburl.MaxLength {
		return target
	}
	end := weburl.MaxLength + 1
	for end < len(target) && !utf8.RuneStart(target[end]) {
		end++
	}
	return target[:end]
}

// isGatewayLink reports whether the link text points at the gateway's /go
// endpoint: it starts with the base URL, compared ignoring letter case,
// followed by "/go?". Anything else, the same host without a scheme or over
// the other scheme included, is rewritten.
func (r *Rewriter) isGatewayLink(text string) bool {
	return hasPrefixFold(text, r.base) && strings.HasPrefix(text[len(r.base):], "/go?")
}
