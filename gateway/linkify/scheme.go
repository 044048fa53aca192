package linkify

import (
	"strings"

	"mvdan.cc/xurls/v2"
)

// opaqueSchemes are the schemes whose URLs have no "//" and which phones
// and browsers still open: xurls' list of them (mailto:, tel:, sms:,
// geo:, magnet:, …) and those that run code or open apps (javascript:,
// vbscript:, data:, intent:, market:). Any other scheme is a link only
// followed by "//".
var opaqueSchemes = func() map[string]bool {
	set := map[string]bool{"javascript": true, "vbscript": true, "data": true, "intent": true, "market": true}
	for _, scheme := range xurls.SchemesNoAuthority {
		set[scheme] = true
	}
	return set
}()

// schemeLink adds the link whose scheme ends at the colon w[colon], if
// there is one, and returns where scanning goes on.
func (s *scanner) schemeLink(colon int) int {
	start := s.schemeLinkStart(colon)
	if start < 0 {
		return colon + 1
	}
	return s.add(start, schemeLinkEnd(s.word, colon), "")
}

// schemeLinkStart returns the start of the link whose scheme ends at the
// colon w[colon], or -1 when there is none: a scheme followed by "//" and
// something more, or one of opaqueSchemes followed by something.
//
// The scheme is the longest run of scheme characters before the colon,
// after the last link, that starts with a letter; when a word runs into
// "http" or "https" ("lihathttps://x"), only that is the scheme.
func (s *scanner) schemeLinkStart(colon int) int {
	w := s.word
	start := colon
	for start > s.from && is(w[start-1], schemeByte) {
		start--
	}
	for start < colon && !is(w[start], letterByte) {
		start++
	}
	scheme := w[start:colon]
	switch {
	case scheme == "":
		return -1
	case len(scheme) > len("https") && hasSuffixFold(scheme, "https"):
		start = colon - len("https")
	case len(scheme) > len("http") && hasSuffixFold(scheme, "http"):
		start = colon - len("http")
	}
	rest := w[colon+1:]
	switch {
	case hasAuthority(rest):
		return start
	case rest != "" && opaqueSchemes[strings.ToLower(w[start:colon])]:
		return start
	}
	return -1
}

// hasAuthority reports whether the rest of a URL after its scheme's colon
// starts with "//" and something more.
func hasAuthority(rest string) bool {
	return len(rest) > len("//") && rest[:2] == "//"
}

// schemeLinkEnd returns the end of the link whose scheme ends at the colon
// w[colon]. Its path is never empty: when trimming would leave nothing
// after the scheme ("https://🔥", "https://)"), the link keeps what it
// would trim, or at least one character.
func schemeLinkEnd(w string, colon int) int {
	body := colon + 1
	authority := hasAuthority(w[body:])
	if authority {
		body += len("//")
	}
	scanned := pathEnd(w, body, authority)
	if end := trimEnd(w, body, scanned); end > body {
		return end
	}
	if scanned > body {
		return scanned
	}
	_, size := runeAt(w, body)
	return body + size
}
