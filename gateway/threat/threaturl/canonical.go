package threaturl

import (
	"bytes"
	"errors"
	"fmt"
)

// MaxLength is the longest URL, in bytes, that the package accepts.
const MaxLength = 8 << 10

// The errors for a URL without a canonical form; the error returned wraps
// one of them with what was wrong.
var (
	ErrEmpty   = errors.New("threaturl: empty URL")
	ErrTooLong = errors.New("threaturl: URL too long")
	ErrNoHost  = errors.New("threaturl: no host in URL")
)

// stackBytes is the room a caller sets aside on its stack for parse: a
// longer URL costs an allocation.
const stackBytes = 2048

// canonicalURL is a canonical URL and where its parts start.
type canonicalURL struct {
	b     []byte // scheme "://" host path ["?" query]
	host  int    // where the host starts
	path  int    // where the path starts: the end of the host
	query int    // where the "?" of the query stands, or len(b) without one
	ip    bool   // the host is an IP address
}

// Canonicalize returns the canonical form of rawURL: the form its
// expressions are taken from, such as "http://195.127.0.11/blah" for
// "http://3279880203/blah". It fails for a URL that is empty, has no host,
// or is longer than MaxLength before or after canonicalization.
// Canonicalize is idempotent.
func Canonicalize(rawURL string) (string, error) {
	var buf [stackBytes]byte
	c, err := parse(buf[:0], rawURL)
	if err != nil {
		return "", err
	}
	return string(c.b), nil
}

// parse canonicalizes rawURL, in buf's storage while it has room. The
// parts of the URL are found before it is unescaped, as a browser finds
// them, so that an escaped "/" or "@" cannot hide the host a browser goes
// to; the host, then the path and query are unescaped each on their own.
func parse(buf []byte, rawURL string) (canonicalURL, error) {
	if len(rawURL) > MaxLength {
		return canonicalURL{}, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLong, len(rawURL), MaxLength)
	}
	s := clean(buf[:0], trimSpace(rawURL))
	if len(s) == 0 {
		return canonicalURL{}, fmt.Errorf("%w: nothing but spaces or a fragment", ErrEmpty)
	}
	scheme, rest, err := splitScheme(s)
	if err != nil {
		return canonicalURL{}, err
	}
	end := 0
	for end < len(rest) && rest[end] != '/' && rest[end] != '?' {
		end++
	}
	authority, tail := rest[:end], rest[end:]
	if i := bytes.LastIndexByte(authority, '@'); i >= 0 {
		authority = authority[i+1:]
	}
	// In the same storage: s, the unescaped path and query, then the
	// canonical URL.
	tail = unescape(s[len(s):], tail)
	b := tail[len(tail):]

	var c canonicalURL
	for _, r := range scheme {
		b = append(b, lower(r))
	}
	b = append(b, "://"...)
	c.host = len(b)
	b, c.ip = appendHost(b, authority)
	if len(b) == c.host {
		return canonicalURL{}, fmt.Errorf("%w: the host is empty", ErrNoHost)
	}
	c.path = len(b)
	path, query, hasQuery := bytes.Cut(tail, []byte("?"))
	b = escapeTail(appendPath(b, path), c.path, &escapes)
	c.query = len(b)
	if hasQuery {
		b = append(append(b, '?'), query...)
		b = escapeTail(b, c.query+1, &escapes)
	}
	if len(b) > MaxLength {
		// Escaping grows a URL up to threefold: a canonical form too long
		// to canonicalize again is refused now.
		return canonicalURL{}, fmt.Errorf("%w: %d bytes once canonical, at most %d", ErrTooLong, len(b), MaxLength)
	}
	c.b = b
	return c, nil
}

// trimSpace removes the spaces and control characters at either end of s.
func trimSpace(s string) string {
	for len(s) > 0 && s[0] <= ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] <= ' ' {
		s = s[:len(s)-1]
	}
	return s
}

var (
	defaultScheme = []byte("http")
	slashes       = []byte("//")
)

// splitScheme returns the scheme of the URL u, http when it has none, and
// what follows the "//" before the authority. A scheme without "//", as in
// javascript:… or mailto:…, means a URL without a host, but a host name
// followed by a port is a URL without a scheme.
func splitScheme(u []byte) (scheme, rest []byte, err error) {
	i := 0
	for i < len(u) && isSchemeByte(u[i], i == 0) {
		i++
	}
	if i > 0 && i < len(u) && u[i] == ':' {
		after := u[i+1:]
		if bytes.HasPrefix(after, slashes) {
			return u[:i], after[2:], nil
		}
		if !startsWithPort(after) {
			return nil, nil, fmt.Errorf("%w: %.20q is not followed by //", ErrNoHost, string(u[:i]))
		}
	}
	return defaultScheme, bytes.TrimPrefix(u, slashes), nil
}

func isSchemeByte(c byte, first bool) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
		return true
	}
	return !first && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')
}

// startsWithPort reports whether s is digits up to its end, a "/" or a "?".
func startsWithPort(s []byte) bool {
	n := 0
	for n < len(s) && '0' <= s[n] && s[n] <= '9' {
		n++
	}
	return n > 0 && (n == len(s) || s[n] == '/' || s[n] == '?')
}

// appendPath appends path, which is empty or starts with "/", with its "."
// and ".." segments resolved, then each run of slashes made one.
func appendPath(dst, path []byte) []byte {
	start := len(dst)
	dst = append(dst, '/')
	for len(path) > 0 {
		segment, next := path[1:], []byte(nil)
		if i := bytes.IndexByte(segment, '/'); i >= 0 {
			segment, next = segment[:i], segment[i:]
		}
		switch string(segment) {
		case ".":
		case "..":
			// dst ends with "/": drop the segment before it.
			if len(dst)-start > 1 {
				dst = dst[:start+bytes.LastIndexByte(dst[start:len(dst)-1], '/')+1]
			}
		default:
			dst = append(dst, segment...)
			if len(next) > 0 {
				dst = append(dst, '/')
			}
		}
		path = next
	}
	w := start
	for _, c := range dst[start:] {
		if c == '/' && w > start && dst[w-1] == '/' {
			continue
		}
		dst[w] = c
		w++
	}
	return dst[:w]
}
