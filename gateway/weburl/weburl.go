// Package weburl parses and normalizes the web links that people paste into chat.
//
// It accepts only absolute http and https URLs with a host, and it serializes
// them in a form that a browser parses back to the same scheme, host and port:
// the host is ASCII (IDNA), lowercase, without a trailing dot or a default
// port, and every byte outside the URL character set is percent-encoded, so
// no backslash, space or control character can move the authority.
package weburl

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLength is the longest input, in bytes, that Parse accepts.
const MaxLength = 8 << 10

// Problem names why a text is not a usable web link.
type Problem string

// The problems Parse reports.
const (
	ProblemEmpty     Problem = "empty"     // nothing but white space
	ProblemTooLong   Problem = "too-long"  // longer than MaxLength
	ProblemControl   Problem = "control"   // a control or invisible formatting character
	ProblemScheme    Problem = "scheme"    // not http or https (javascript:, data:, no scheme …)
	ProblemNoHost    Problem = "no-host"   // no host after the scheme
	ProblemMalformed Problem = "malformed" // does not parse as a URL
	ProblemHost      Problem = "bad-host"  // a host name that is not a valid domain or IP address
	ProblemPort      Problem = "bad-port"  // a port that is not a number from 1 to 65535
)

// The problems the decision on a link reports (package verdict): Parse
// accepts such a link, or never sees it.
const (
	ProblemInternal  Problem = "internal"  // loopback, private, link-local or otherwise internal host (see URL.Internal)
	ProblemLoop      Problem = "loop"      // too many gateway links wrapped in each other
	ProblemMissing   Problem = "missing"   // a gateway link without its link (no u=)
	ProblemAmbiguous Problem = "ambiguous" // a gateway link with a repeated u=, c= or s=
)

// Problems lists every Problem, for pages and tests that must cover each.
var Problems = []Problem{
	ProblemEmpty, ProblemTooLong, ProblemControl, ProblemScheme, ProblemNoHost,
	ProblemMalformed, ProblemHost, ProblemPort, ProblemInternal, ProblemLoop,
	ProblemMissing, ProblemAmbiguous,
}

// Error tells why Parse refused a text.
type Error struct {
	Problem Problem
	Detail  string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return "weburl: " + string(e.Problem)
	}
	return fmt.Sprintf("weburl: %s: %s", e.Problem, e.Detail)
}

func fail(p Problem, format string, args ...any) *Error {
	return &Error{Problem: p, Detail: fmt.Sprintf(format, args...)}
}

// ProblemOf returns the Problem carried by err, or ProblemMalformed when err is
// not an *Error.
func ProblemOf(err error) Problem {
	var e *Error
	if errors.As(err, &e) {
		return e.Problem
	}
	return ProblemMalformed
}

// URL is a normalized absolute http or https URL.
type URL struct {
	Scheme   string     // "http" or "https"
	User     string     // userinfo as written, percent-encoded; empty when absent
	Host     string     // lowercase ASCII domain, dotted IPv4 or bracketless IPv6
	Port     string     // empty for the scheme's default port
	Path     string     // percent-encoded path, starting with "/"
	RawQuery string     // percent-encoded query without "?"; see HasQuery
	HasQuery bool       // a "?" was present, even if the query is empty
	Fragment string     // percent-encoded fragment without "#"; see HasFrag
	HasFrag  bool       // a "#" was present, even if the fragment is empty
	IP       netip.Addr // valid when the host is an IP address in any notation
}

// Parse trims raw and normalizes it into a URL, or returns an *Error that
// says why it is not a usable web link. Parse does not judge the host: an
// internal address parses; see URL.Internal.
func Parse(raw string) (*URL, error) {
	if len(raw) > MaxLength {
		return nil, fail(ProblemTooLong, "%d bytes, at most %d", len(raw), MaxLength)
	}
	s := strings.TrimFunc(raw, unicode.IsSpace)
	if s == "" {
		return nil, &Error{Problem: ProblemEmpty}
	}
	if err := checkCharacters(s); err != nil {
		return nil, err
	}
	scheme, rest, ok := splitScheme(s)
	if !ok {
		return nil, fail(ProblemScheme, "no scheme; a link starts with https://")
	}
	if scheme != "http" && scheme != "https" {
		return nil, fail(ProblemScheme, "scheme %q is not http or https", scheme)
	}
	if !strings.HasPrefix(rest, "//") {
		return nil, fail(ProblemNoHost, "expected // after %s:", scheme)
	}
	authority, tail := splitAuthority(rest[2:])
	if strings.ContainsRune(authority, '\\') {
		return nil, fail(ProblemMalformed, "backslash in the host part")
	}
	u := &URL{Scheme: scheme}
	hostport := authority
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		u.User = encode(authority[:i], userAllowed)
		hostport = authority[i+1:]
	}
	host, port, err := splitHostPort(hostport)
	if err != nil {
		return nil, err
	}
	if u.Host, u.IP, err = normalizeHost(host); err != nil {
		return nil, err
	}
	if u.Port, err = normalizePort(port, scheme); err != nil {
		return nil, err
	}
	u.setTail(tail)
	if n := u.length(); n > MaxLength {
		// Percent-encoding grows the text up to threefold: a link that
		// would not parse back once normalized is refused now.
		return nil, fail(ProblemTooLong, "%d bytes once normalized, at most %d", n, MaxLength)
	}
	return u, nil
}

// length is len(u.String()), without building the string.
func (u *URL) length() int {
	n := len(u.Scheme) + len("://") + len(u.Hostport()) + len(u.Path)
	if u.User != "" {
		n += len(u.User) + 1
	}
	if u.HasQuery {
		n += 1 + len(u.RawQuery)
	}
	if u.HasFrag {
		n += 1 + len(u.Fragment)
	}
	return n
}

// checkCharacters refuses control characters, invisible formatting
// characters and invalid UTF-8 anywhere in the link.
func checkCharacters(s string) error {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf {
			return checkRunes(s, i)
		} else if c < ' ' || c == 0x7f {
			return fail(ProblemControl, "character %U at byte %d", c, i)
		}
	}
	return nil
}

// checkRunes is checkCharacters for the rest of s from byte start, which
// holds non-ASCII text.
func checkRunes(s string, start int) error {
	for i, r := range s[start:] {
		i += start
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return fail(ProblemControl, "invalid UTF-8 at byte %d", i)
			}
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r),
			r == '\u2028', r == '\u2029':
			return fail(ProblemControl, "character %U at byte %d", r, i)
		}
	}
	return nil
}

// splitScheme returns the lowercase scheme and what follows its colon.
func splitScheme(s string) (scheme, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(s[:i]), s[i+1:], true
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// splitAuthority splits s after "//" at the first "/", "?" or "#". A
// backslash also ends the authority for browsers, so it stays in the
// authority here and is refused there.
func splitAuthority(s string) (authority, tail string) {
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

func splitHostPort(hostport string) (host, port string, err error) {
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return "", "", fail(ProblemHost, "unclosed [ in %q", hostport)
		}
		host, rest := hostport[:end+1], hostport[end+1:]
		if rest == "" {
			return host, "", nil
		}
		if rest[0] != ':' {
			return "", "", fail(ProblemHost, "unexpected %q after ]", rest)
		}
		return host, rest[1:], nil
	}
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		return hostport[:i], hostport[i+1:], nil
	}
	return hostport, "", nil
}

func normalizePort(port, scheme string) (string, error) {
	if port == "" {
		return "", nil
	}
	n := 0
	for i := 0; i < len(port); i++ {
		c := port[i]
		if c < '0' || c > '9' || n > 65535 {
			return "", fail(ProblemPort, "port %q", port)
		}
		n = n*10 + int(c-'0')
	}
	switch {
	case n < 1 || n > 65535:
		return "", fail(ProblemPort, "port %q", port)
	case scheme == "http" && n == 80, scheme == "https" && n == 443:
		return "", nil
	}
	return fmt.Sprint(n), nil
}

// setTail fills the path, query and fragment from what follows the authority.
func (u *URL) setTail(tail string) {
	path, query, fragment := tail, "", ""
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path, fragment = path[:i], path[i+1:]
		u.HasFrag = true
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i+1:]
		u.HasQuery = true
	}
	if path == "" {
		path = "/"
	}
	u.Path = encode(path, pathAllowed)
	u.RawQuery = encode(query, queryAllowed)
	u.Fragment = encode(fragment, queryAllowed)
}

// Hostport is the host with its port, IPv6 in brackets, as in a URL.
func (u *URL) Hostport() string {
	host := u.Host
	if u.IP.Is6() {
		host = "[" + host + "]"
	}
	if u.Port == "" {
		return host
	}
	return host + ":" + u.Port
}

// Origin is the scheme, host and port, as in "https://example.com:8443".
func (u *URL) Origin() string {
	return u.Scheme + "://" + u.Hostport()
}

// RequestURI is the path with the query, as in an HTTP request line.
func (u *URL) RequestURI() string {
	if u.HasQuery {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}

// String serializes u. The result parses back to an equal URL.
func (u *URL) String() string {
	var b strings.Builder
	b.Grow(len(u.Scheme) + len(u.User) + len(u.Host) + len(u.Path) + len(u.RawQuery) + len(u.Fragment) + 16)
	b.WriteString(u.Scheme)
	b.WriteString("://")
	if u.User != "" {
		b.WriteString(u.User)
		b.WriteByte('@')
	}
	b.WriteString(u.Hostport())
	b.WriteString(u.RequestURI())
	if u.HasFrag {
		b.WriteByte('#')
		b.WriteString(u.Fragment)
	}
	return b.String()
}

// WithoutUser returns a copy of u without userinfo.
func (u *URL) WithoutUser() *URL {
	c := *u
	c.User = ""
	return &c
}

// WithScheme returns a copy of u with the given scheme and the port dropped
// when it becomes the scheme's default.
func (u *URL) WithScheme(scheme string) *URL {
	c := *u
	c.Scheme = scheme
	if scheme == "https" && c.Port == "443" || scheme == "http" && c.Port == "80" {
		c.Port = ""
	}
	return &c
}
