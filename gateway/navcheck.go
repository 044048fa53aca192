package gateway

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// probeHost stands in for the destination when CheckPages looks for where
// a template puts it: no real link goes there.
const probeHost = "tujuan.periksa.invalid"

// formActions are the only places a page's forms may post to.
var formActions = []string{"/go/continue", "/report"}

// urlAttributes are the attributes that make a browser load or navigate to
// a URL.
var urlAttributes = []string{"href", "src", "action", "formaction", "data", "poster", "cite", "background", "ping", "srcset", "xlink:href", "manifest", "icon"}

// probePage returns p with the destination replaced by probeHost, or nil
// for a page without one.
func probePage(p *Page) *Page {
	if p.Target == "" {
		return nil
	}
	probe := *p
	probe.Site, probe.SiteUnicode, probe.Host, probe.HostUnicode = probeHost, probeHost, probeHost, probeHost
	probe.Target = "https://" + probeHost + "/jalur?id=1"
	probe.URL = probe.Target
	return &probe
}

// checkNavigation refuses a page that could take the user somewhere
// without the warning's own forms: a refresh or a base element, a form or
// button posting elsewhere than formActions, or a URL attribute whose
// address is on probeHost (the destination).
func checkNavigation(page []byte) error {
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return nil
			}
			return z.Err()
		case html.StartTagToken, html.SelfClosingTagToken:
			if err := checkTag(z.Token()); err != nil {
				return err
			}
		}
	}
}

func checkTag(t html.Token) error {
	if t.Data == "base" {
		return errors.New("a <base> element would change where every link leads")
	}
	for _, a := range t.Attr {
		key, value := strings.ToLower(a.Key), strings.TrimSpace(a.Val)
		switch {
		case t.Data == "meta" && key == "http-equiv" && strings.EqualFold(value, "refresh"):
			return errors.New("a <meta http-equiv=refresh> would leave the page without the user's choice")
		case key == "formaction":
			return fmt.Errorf("a formaction=%q would post a form elsewhere", value)
		case t.Data == "form" && key == "action" && !slices.Contains(formActions, value):
			return fmt.Errorf("a form posts to %q; forms may post only to %s", value, strings.Join(formActions, " and "))
		case slices.Contains(urlAttributes, key) && leadsToProbe(value):
			return fmt.Errorf("%s=%q on <%s> puts the destination in a link; only the continue form may lead there", key, value, t.Data)
		}
	}
	return nil
}

// leadsToProbe reports whether an attribute's URL, or one of a srcset's,
// is on probeHost.
func leadsToProbe(value string) bool {
	for _, part := range strings.Split(value, ",") {
		fields := strings.Fields(part)
		if len(fields) == 0 {
			continue
		}
		u, err := url.Parse(fields[0])
		if err != nil {
			return strings.Contains(fields[0], probeHost)
		}
		if strings.EqualFold(u.Hostname(), probeHost) {
			return true
		}
	}
	return false
}
