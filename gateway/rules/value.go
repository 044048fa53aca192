package rules

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/blibli/safelink/gateway/registrable"
	"github.com/blibli/safelink/gateway/weburl"
)

// Rule values are normalized by the parser the gateway normalizes links
// with, so that a rule and the links it is compared with agree byte for
// byte: hosts in lowercase ASCII (IDNA), IPv4 addresses in any notation
// written dotted, IPv6 without brackets, URLs percent-encoded alike.

// NormalizeDomain returns the lowercase ASCII form of the value of a domain
// rule. It refuses URLs, paths, ports, wildcards and user parts, IP
// addresses (a domain rule covers subdomains, which an address has not: use
// a host rule), names outside known top-level domains, and domains that
// are, or sit above, a public suffix, such as com, github.io or
// amazonaws.com (above s3.amazonaws.com), whose rule would reach names
// that anyone can register (a host rule takes the one host).
func NormalizeDomain(s string) (string, error) {
	u, err := parseHost(s)
	if err != nil {
		return "", err
	}
	if u.IP.IsValid() {
		return "", fmt.Errorf("%q is an IP address; use a host rule for it", truncate(s))
	}
	d := u.Host
	if _, icann := publicsuffix.PublicSuffix(d[strings.LastIndexByte(d, '.')+1:]); !icann {
		return "", fmt.Errorf("%q does not end in a known top-level domain", truncate(s))
	}
	if err := registrable.Check(d); err != nil {
		return "", fmt.Errorf("%w, or use a host rule for %s alone", err, d)
	}
	return d, nil
}

// NormalizeHost returns the canonical form of the value of a host rule: a
// lowercase ASCII name, a dotted IPv4 address, or an IPv6 address without
// brackets.
func NormalizeHost(s string) (string, error) {
	u, err := parseHost(s)
	if err != nil {
		return "", err
	}
	return u.Host, nil
}

// parseHost reads a domain or host value: a host name or an IP address,
// and nothing else.
func parseHost(s string) (*weburl.URL, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil, errors.New("is required")
	case strings.Contains(s, "://"):
		return nil, fmt.Errorf("%q is a URL; write the host only, or use a url-prefix rule", truncate(s))
	case strings.ContainsAny(s, "/?#\\"):
		return nil, fmt.Errorf("%q has a path; write the host only, or use a url-prefix rule", truncate(s))
	case strings.Contains(s, "*"):
		return nil, fmt.Errorf("%q has a wildcard; a domain rule already covers subdomains", truncate(s))
	case strings.Contains(s, "@"):
		return nil, fmt.Errorf("%q has a user part; write the host only", truncate(s))
	}
	host := s
	if strings.Count(s, ":") > 1 && !strings.HasPrefix(s, "[") {
		host = "[" + s + "]" // a bare IPv6 address
	}
	u, err := weburl.Parse("http://" + host + "/")
	if err != nil {
		return nil, fmt.Errorf("%q is not a valid host name or IP address", truncate(s))
	}
	if u.Port != "" || strings.HasSuffix(host, ":80") {
		return nil, fmt.Errorf("%q has a port; write the host only", truncate(s))
	}
	return u, nil
}

// NormalizeURLPrefix returns the normalized form of the value of a
// url-prefix rule: an absolute http or https URL as the gateway serializes
// the links it checks, its path and query written one way (see matchForm)
// as the links are when matched. It refuses a user part and a fragment.
func NormalizeURLPrefix(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("is required")
	}
	u, err := weburl.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q is not an absolute http or https URL: %v", truncate(s), weburl.ProblemOf(err))
	}
	switch {
	case u.User != "":
		return "", fmt.Errorf("%q has a user part; write the URL without it", truncate(s))
	case u.HasFrag:
		return "", fmt.Errorf("%q has a fragment (#…), which is never part of a prefix", truncate(s))
	}
	v := u.Scheme + "://" + matchForm(u)
	if len(v) > MaxValueLength {
		return "", fmt.Errorf("has %d bytes, at most %d", len(v), MaxValueLength)
	}
	return v, nil
}
