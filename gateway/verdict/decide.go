package verdict

import (
	"net/url"
	"path"
	"strings"

	"github.com/blibli/safelink/gateway/weburl"
)

// MaxHops is how many gateway links wrapped in each other Decide unwraps
// before it refuses the link as a loop.
const MaxHops = 5

// Lists tells which of the security team's lists a host is on. Hosts are
// lowercase ASCII domain names.
type Lists interface {
	// Official reports whether host is official and, if so, whether its
	// http links may be upgraded to https.
	Official(host string) (official, upgrade bool)
	// OfficialPort reports whether host is official on port, which is
	// not the default port of https: the allowlist names it.
	OfficialPort(host, port string) bool
	Shortener(host string) bool
	Messaging(host string) bool
}

// Lookalikes finds hosts that imitate an official domain.
type Lookalikes interface {
	// Imitates returns the official domain that a non-official host imitates.
	Imitates(host string) (official string, ok bool)
}

// Policy is everything Decide needs besides the link. It is read-only once
// built and safe for concurrent use.
type Policy struct {
	Lists      Lists
	Lookalikes Lookalikes
	// GatewayHost and GatewayPath locate the gateway's own /go endpoint:
	// a link to it is unwrapped and its inner link decided instead, so that
	// the browser never bounces through the gateway.
	GatewayHost string
	GatewayPath string
}

// GoQuery holds the parameters of a gateway link:
// /go?u=LINK&c=CONTEXT&s=SIGNATURE.
type GoQuery struct {
	Link string // the one "u" parameter
	// Context is the "c" parameter: the signal kinds of the message the
	// link was found in (see FormatSignalContext); empty when absent.
	Context   string
	Signature string // the "s" parameter; empty when absent
}

// ParseGoQuery reads the query string of a gateway link as net/url's
// ParseQuery would, without building its map: it refuses a malformed query
// and a missing or repeated u, and a repeated c or s.
func ParseGoQuery(rawQuery string) (GoQuery, error) {
	var q GoQuery
	var links, contexts, signatures int
	for rest := rawQuery; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, "&")
		if part == "" {
			continue
		}
		key, value, ok := queryPair(part)
		if !ok {
			return GoQuery{}, &weburl.Error{Problem: weburl.ProblemMalformed, Detail: "malformed query"}
		}
		switch key {
		case "u":
			links++
			q.Link = value
		case "c":
			contexts++
			q.Context = value
		case "s":
			signatures++
			q.Signature = value
		}
	}
	switch {
	case links == 0:
		return GoQuery{}, &weburl.Error{Problem: weburl.ProblemMissing, Detail: "no u= parameter"}
	case links > 1 || contexts > 1 || signatures > 1:
		return GoQuery{}, &weburl.Error{Problem: weburl.ProblemAmbiguous, Detail: "a repeated u=, c= or s= parameter"}
	}
	return q, nil
}

// queryPair unescapes one key=value part of a query; net/url refuses a
// part holding a semicolon or a bad escape, and so does queryPair.
func queryPair(part string) (key, value string, ok bool) {
	if strings.Contains(part, ";") {
		return "", "", false
	}
	rawKey, rawValue, _ := strings.Cut(part, "=")
	key, err := url.QueryUnescape(rawKey)
	if err != nil {
		return "", "", false
	}
	value, err = url.QueryUnescape(rawValue)
	return key, value, err == nil
}

// Refuse is the Invalid verdict for the error of ParseGoQuery or of
// weburl.Parse.
func Refuse(err error) Verdict {
	return invalid(weburl.ProblemOf(err))
}

// Decide parses and normalizes raw and decides what to do with it. See the
// package documentation for the promise it keeps.
func (p *Policy) Decide(raw string) Verdict {
	u, err := weburl.Parse(raw)
	hops := 0
	for err == nil && p.isGatewayLink(u) {
		if hops == MaxHops {
			return invalid(weburl.ProblemLoop)
		}
		hops++
		var inner GoQuery
		if inner, err = ParseGoQuery(u.RawQuery); err == nil {
			u, err = weburl.Parse(inner.Link)
		}
	}
	if err != nil {
		v := invalid(weburl.ProblemOf(err))
		v.Hops = hops
		return v
	}
	if u.Internal() {
		return invalid(weburl.ProblemInternal)
	}
	v := p.classify(u)
	v.Hops = hops
	return v
}

// isGatewayLink reports whether u is a link to the gateway's own /go,
// however its path is spelled (/go/, //go, /./go): a browser resolves them
// all alike.
func (p *Policy) isGatewayLink(u *weburl.URL) bool {
	return p.GatewayHost != "" && u.Hostport() == p.GatewayHost && path.Clean(u.Path) == p.GatewayPath
}

// classify decides on a parsed, public URL.
func (p *Policy) classify(u *weburl.URL) Verdict {
	official, upgrade := false, false
	if !u.IP.IsValid() {
		official, upgrade = p.Lists.Official(u.Host)
	}
	// The upgrade goes from http's default port to https's, never from
	// another port, where https is not what the host serves.
	if official && upgrade && u.Scheme == "http" && u.Port == "" {
		u = u.WithScheme("https")
	}
	v := Verdict{Action: Warn, URL: u, Site: site(u)}
	if !official {
		v.add(ReasonExternal)
	}
	if u.Scheme == "http" {
		v.add(ReasonInsecure)
	}
	if !official && !u.IP.IsValid() {
		if imitated, ok := p.Lookalikes.Imitates(u.Host); ok {
			v.add(ReasonLookalike)
			v.Imitates = imitated
		}
		if p.Lists.Shortener(u.Host) {
			v.add(ReasonShortener)
		}
		if p.Lists.Messaging(u.Host) {
			v.add(ReasonMessaging)
		}
	}
	if !official && IsAppFile(u.Path) {
		v.add(ReasonAPKDownload)
	}
	if u.User != "" {
		v.add(ReasonCredentials)
	}
	if u.IP.IsValid() {
		v.add(ReasonIPAddress)
	}
	if u.Port != "" && !(official && u.Scheme == "https" && p.Lists.OfficialPort(u.Host, u.Port)) {
		v.add(ReasonPort)
	}
	if len(v.Reasons) == 0 && official && u.Scheme == "https" {
		v.Action = Redirect
	}
	v.Target = u.String()
	return v
}
