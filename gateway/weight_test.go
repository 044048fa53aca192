package gateway_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/blibli/safelink/gateway"
)

// pageBudget is the most one page may weigh, uncompressed, with every
// stylesheet and icon it loads: people open these pages on slow phones.
const pageBudget = 20 << 10

// TestPageWeight loads every variant of the preview gallery with the
// files it references, as a browser would, and checks that together they
// stay under the budget and come from the gateway alone: no third-party
// asset, no web font, no CSS @import.
func TestPageWeight(t *testing.T) {
	h := newGateway(t, gateway.Config{HomeURL: homeURL}).Internal()
	var heaviest string // the heaviest page and its files, with their sizes
	heaviestBytes := 0
	for _, v := range gateway.Variants(homeURL) {
		page := do(t, h, http.MethodGet, "/_preview/"+v.Name)
		if page.status != v.Page.Status {
			t.Errorf("%s: status %d, want %d", v.Name, page.status, v.Page.Status)
			continue
		}
		refs, problems := htmlAssets(page.body)
		total := len(page.body)
		parts := []string{fmt.Sprintf("%s %d", v.Name, total)}
		loaded := map[string]bool{}
		for len(refs) > 0 {
			ref := refs[0]
			refs = refs[1:]
			if !isGatewayPath(ref) {
				problems = append(problems, "an asset from elsewhere than a path on the gateway: "+ref)
				continue
			}
			if loaded[ref] {
				continue
			}
			loaded[ref] = true
			asset := do(t, h, http.MethodGet, ref)
			if asset.status != http.StatusOK {
				problems = append(problems, ref+": status "+http.StatusText(asset.status))
				continue
			}
			total += len(asset.body)
			parts = append(parts, fmt.Sprintf("%s %d", ref, len(asset.body)))
			more, found := assetRefs(ref, asset.header.Get("Content-Type"), asset.body)
			refs = append(refs, more...)
			problems = append(problems, found...)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", v.Name, p)
		}
		if total > pageBudget {
			t.Errorf("%s weighs %d bytes with its %d files, over the budget of %d", v.Name, total, len(loaded), pageBudget)
		}
		if total > heaviestBytes {
			heaviest, heaviestBytes = strings.Join(parts, " + "), total
		}
	}
	t.Logf("heaviest page: %d bytes of a budget of %d: %s", heaviestBytes, pageBudget, heaviest)
}

// htmlAssets returns the URL of every file a page makes the browser load,
// and what is wrong with inline styles. Links people follow (<a href>)
// and form targets are not assets.
func htmlAssets(page string) (refs, problems []string) {
	z := html.NewTokenizer(strings.NewReader(page))
	inStyle := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			if !errors.Is(z.Err(), io.EOF) {
				problems = append(problems, "unparsable HTML: "+z.Err().Error())
			}
			return refs, problems
		case html.TextToken:
			if inStyle {
				r, p := cssRefs(string(z.Text()))
				refs, problems = append(refs, r...), append(problems, p...)
			}
		case html.EndTagToken:
			inStyle = false
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			inStyle = tok.Data == "style"
			for _, a := range tok.Attr {
				switch {
				case a.Key == "src" || a.Key == "poster" || a.Key == "data" ||
					(a.Key == "href" && (tok.Data == "link" || tok.Data == "image" || tok.Data == "use")):
					refs = append(refs, a.Val)
				case a.Key == "srcset" || a.Key == "imagesrcset":
					for _, candidate := range strings.Split(a.Val, ",") {
						if fields := strings.Fields(candidate); len(fields) > 0 {
							refs = append(refs, fields[0])
						}
					}
				case a.Key == "style":
					r, p := cssRefs(a.Val)
					refs, problems = append(refs, r...), append(problems, p...)
				}
			}
		}
	}
}

// assetRefs returns the files a stylesheet or an SVG image loads in turn,
// resolved against its own path, and what is wrong with it.
func assetRefs(ref, contentType, body string) (refs, problems []string) {
	var found []string
	switch {
	case strings.HasPrefix(contentType, "text/css"):
		found, problems = cssRefs(body)
	case strings.HasPrefix(contentType, "image/svg+xml"):
		found, problems = svgRefs(body)
	}
	base, err := url.Parse(ref)
	if err != nil {
		return nil, []string{ref + ": " + err.Error()}
	}
	for _, f := range found {
		u, err := url.Parse(f)
		if err != nil {
			problems = append(problems, "unparsable reference "+f)
			continue
		}
		refs = append(refs, base.ResolveReference(u).String())
	}
	for i, p := range problems {
		problems[i] = ref + ": " + p
	}
	return refs, problems
}

var (
	cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
	cssURL     = regexp.MustCompile(`(?i)url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)`)
	cssAtRule  = regexp.MustCompile(`(?i)@(import|font-face)\b`)
)

// cssRefs returns the url() references of a stylesheet and flags web fonts
// and imports.
func cssRefs(css string) (refs, problems []string) {
	css = cssComment.ReplaceAllString(css, "")
	for _, m := range cssAtRule.FindAllStringSubmatch(css, -1) {
		problems = append(problems, "CSS @"+strings.ToLower(m[1])+": the pages use system fonts and one stylesheet")
	}
	for _, m := range cssURL.FindAllStringSubmatch(css, -1) {
		// url(#id) points into the same document and loads nothing.
		if ref := m[1] + m[2] + m[3]; !strings.HasPrefix(ref, "#") {
			refs = append(refs, ref)
		}
	}
	return refs, problems
}

// svgRefs returns the files an SVG image references, through href
// attributes or styles; links to its own elements (#id) load nothing.
func svgRefs(svg string) (refs, problems []string) {
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return refs, problems
		}
		if err != nil {
			return refs, append(problems, "unparsable SVG: "+err.Error())
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			for _, a := range tok.Attr {
				switch {
				case a.Name.Local == "href" && !strings.HasPrefix(a.Value, "#"):
					refs = append(refs, a.Value)
				case a.Name.Local == "style":
					r, p := cssRefs(a.Value)
					refs, problems = append(refs, r...), append(problems, p...)
				}
			}
		case xml.CharData:
			r, p := cssRefs(string(tok))
			refs, problems = append(refs, r...), append(problems, p...)
		}
	}
}

// isGatewayPath reports whether ref is a path on the gateway itself: no
// scheme (so no data: or https:) and no host.
func isGatewayPath(ref string) bool {
	u, err := url.Parse(ref)
	return err == nil && u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/")
}
