package rules

import (
	"strconv"
	"strings"

	"github.com/blibli/safelink/gateway/weburl"
)

// matchForm is what a url-prefix rule compares: the host and port, then
// the path and query of u written one way whatever their spelling, as a
// server reads them: unreserved characters decoded from their
// percent-encoding and other escapes in capitals, runs of slashes made
// one, and dot segments resolved. Scheme and user are left out.
func matchForm(u *weburl.URL) string {
	var b strings.Builder
	b.WriteString(u.Hostport())
	b.WriteString(resolveDots(collapseSlashes(canonicalEscapes(u.Path))))
	if u.HasQuery {
		b.WriteByte('?')
		b.WriteString(canonicalEscapes(u.RawQuery))
	}
	return b.String()
}

// matchFormOf is matchForm of a URL the gateway serialized, or the URL
// after its scheme and user when it does not parse.
func matchFormOf(url string) string {
	u, err := weburl.Parse(url)
	if err != nil {
		return withoutUser(url)
	}
	return matchForm(u)
}

// canonicalEscapes decodes the percent-encodings of unreserved characters
// and writes the others' hex digits in capitals.
func canonicalEscapes(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				b.WriteByte(s[i])
				continue
			}
			if c := byte(v); unreserved(c) {
				b.WriteByte(c)
			} else {
				b.WriteByte('%')
				b.WriteString(strings.ToUpper(s[i+1 : i+3]))
			}
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// unreserved reports whether c may appear in a URL unescaped with the same
// meaning (RFC 3986).
func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// collapseSlashes makes every run of slashes in a path one slash.
func collapseSlashes(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return p
}

// resolveDots removes the "." and ".." segments of an absolute path as a
// browser does, keeping a trailing slash where the path names a folder.
func resolveDots(p string) string {
	segments := strings.Split(p, "/")[1:]
	out := make([]string, 0, len(segments))
	folder := false
	for _, s := range segments {
		folder = s == "." || s == ".."
		switch s {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	resolved := "/" + strings.Join(out, "/")
	if folder && !strings.HasSuffix(resolved, "/") {
		resolved += "/"
	}
	return resolved
}
