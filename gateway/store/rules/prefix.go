package rules

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// NormalizeURLPrefix returns the normalized form of the value of a
// url-prefix rule: an absolute http or https URL with a lowercase scheme, the
// host as NormalizeHost gives it (IPv6 in brackets), no default port, a path
// that starts with "/", and every byte outside the URL character set
// percent-encoded, as the gateway serializes the links it checks. It refuses
// a user part and a fragment.
func NormalizeURLPrefix(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("is required")
	}
	scheme, rest, ok := strings.Cut(s, "://")
	scheme = strings.ToLower(scheme)
	if !ok || scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("%q is not an absolute http or https URL", truncate(s))
	}
	if strings.Contains(rest, "#") {
		return "", fmt.Errorf("%q has a fragment (#…), which is never part of a prefix", truncate(s))
	}
	authority, tail := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	if strings.Contains(authority, "@") {
		return "", fmt.Errorf("%q has a user part; write the URL without it", truncate(s))
	}
	if strings.Contains(authority, "\\") {
		return "", fmt.Errorf("%q has a backslash in the host", truncate(s))
	}
	hostport, err := normalizeHostport(authority, scheme)
	if err != nil {
		return "", fmt.Errorf("%q: %v", truncate(s), err)
	}
	path, query, hasQuery := strings.Cut(tail, "?")
	if path == "" {
		path = "/"
	}
	v := scheme + "://" + hostport + encode(path, pathAllowed)
	if hasQuery {
		v += "?" + encode(query, queryAllowed)
	}
	if len(v) > MaxValueLength {
		return "", fmt.Errorf("has %d bytes, at most %d", len(v), MaxValueLength)
	}
	return v, nil
}

// normalizeHostport normalizes the authority of a prefix: the host, and a
// port unless it is the scheme's default.
func normalizeHostport(authority, scheme string) (string, error) {
	host, port := authority, ""
	if strings.HasPrefix(authority, "[") {
		end := strings.IndexByte(authority, ']')
		if end < 0 {
			return "", errors.New("unclosed [ in the host")
		}
		host = authority[:end+1]
		if rest := authority[end+1:]; rest != "" {
			if rest[0] != ':' {
				return "", errors.New("unexpected text after ]")
			}
			port = rest[1:]
		}
	} else if i := strings.LastIndexByte(authority, ':'); i >= 0 {
		host, port = authority[:i], authority[i+1:]
	}
	if host == "" {
		return "", errors.New("no host")
	}
	h, err := NormalizeHost(host)
	if err != nil {
		return "", err
	}
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if port == "" {
		return h, nil
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || port[0] == '+' {
		return "", errors.New("the port is not a number from 1 to 65535")
	}
	if scheme == "http" && n == 80 || scheme == "https" && n == 443 {
		return h, nil
	}
	return h + ":" + strconv.Itoa(n), nil
}

// allowed marks the bytes that may stand unescaped in one part of a URL.
type allowed [256]bool

func newAllowed(extra string) *allowed {
	var a allowed
	for _, c := range "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" + "-._~" + "!$&'()*+,;=" + extra {
		a[c] = true
	}
	return &a
}

var (
	pathAllowed  = newAllowed(":@/")
	queryAllowed = newAllowed(":@/?")
)

// encode percent-encodes every byte of s outside set; a "%" that starts a
// valid escape stays as written.
func encode(s string, set *allowed) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if set[c] || c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
