package rules

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// hostProfile maps a host name to the ASCII form browsers look up, so that
// a rule and the hosts it is compared with agree byte for byte.
var hostProfile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.BidiRule(),
	idna.ValidateLabels(true),
	idna.StrictDomainName(true),
	idna.VerifyDNSLength(true),
	idna.CheckHyphens(true),
	idna.CheckJoiners(true),
)

// NormalizeDomain returns the lowercase ASCII form of the value of a domain
// rule. It refuses URLs, paths, ports, wildcards and user parts, IP
// addresses (a domain rule covers subdomains, which an address has not: use
// a host rule), names outside known top-level domains, and public suffixes
// such as com or github.io, whose rule would cover every site under them
// (block one host under a public suffix with a host rule).
func NormalizeDomain(s string) (string, error) {
	s = strings.TrimSpace(s)
	if err := refuseNonHost(s); err != nil {
		return "", err
	}
	if isIP(s) {
		return "", fmt.Errorf("%q is an IP address; use a host rule for it", truncate(s))
	}
	d, err := asciiName(s)
	if err != nil {
		return "", err
	}
	if _, icann := publicsuffix.PublicSuffix(d[strings.LastIndexByte(d, '.')+1:]); !icann {
		return "", fmt.Errorf("%q does not end in a known top-level domain", truncate(s))
	}
	if suffix, _ := publicsuffix.PublicSuffix(d); suffix == d {
		return "", fmt.Errorf("%q is a public suffix; a domain rule would cover every site under it (use a host rule for the one host)", truncate(s))
	}
	return d, nil
}

// NormalizeHost returns the canonical form of the value of a host rule: a
// lowercase ASCII name, a dotted IPv4 address, or an IPv6 address without
// brackets.
func NormalizeHost(s string) (string, error) {
	s = strings.TrimSpace(s)
	if err := refuseNonHost(s); err != nil {
		return "", err
	}
	if ip, ok := parseIP(s); ok {
		return ip.String(), nil
	}
	switch strings.Count(s, ":") {
	case 0:
		return asciiName(s)
	case 1:
		return "", fmt.Errorf("%q has a port; write the host only", truncate(s))
	}
	return "", fmt.Errorf("%q is not a valid IP address", truncate(s))
}

// refuseNonHost names the common ways a domain or host value is something
// else.
func refuseNonHost(s string) error {
	switch {
	case s == "":
		return errors.New("is required")
	case strings.Contains(s, "://"):
		return fmt.Errorf("%q is a URL; write the host only, or use a url-prefix rule", truncate(s))
	case strings.ContainsAny(s, "/?#\\"):
		return fmt.Errorf("%q has a path; write the host only, or use a url-prefix rule", truncate(s))
	case strings.Contains(s, "*"):
		return fmt.Errorf("%q has a wildcard; a domain rule already covers subdomains", truncate(s))
	case strings.Contains(s, "@"):
		return fmt.Errorf("%q has a user part; write the host only", truncate(s))
	}
	return nil
}

// isIP reports whether s is an IP address, with or without brackets, or a
// name a browser would read as an IPv4 address: its last label decimal
// digits or a 0x hexadecimal number.
func isIP(s string) bool {
	if _, ok := parseIP(s); ok {
		return true
	}
	s = strings.TrimSuffix(s, ".")
	last := strings.ToLower(s[strings.LastIndexByte(s, '.')+1:])
	if hex, ok := strings.CutPrefix(last, "0x"); ok {
		return strings.Trim(hex, "0123456789abcdef") == ""
	}
	return last != "" && strings.Trim(last, "0123456789") == ""
}

// parseIP accepts a dotted IPv4 address or an IPv6 address, bracketed or
// not, without a zone.
func parseIP(s string) (netip.Addr, bool) {
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		ip, err := netip.ParseAddr(s[1 : len(s)-1])
		return ip, err == nil && ip.Is6() && ip.Zone() == ""
	}
	ip, err := netip.ParseAddr(s)
	return ip.Unmap(), err == nil && ip.Zone() == ""
}

// asciiName maps a host name to lowercase ASCII and refuses names that are
// not valid, or that a browser would read as an IPv4 address.
func asciiName(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("is not valid UTF-8")
	}
	d, err := hostProfile.ToASCII(strings.TrimSuffix(s, "."))
	if err != nil || d == "" || strings.HasSuffix(d, ".") {
		return "", fmt.Errorf("%q is not a valid host name", truncate(s))
	}
	if again, err := hostProfile.ToASCII(d); err != nil || again != d {
		return "", fmt.Errorf("%q is not a valid host name", truncate(s))
	}
	if isIP(d) {
		return "", fmt.Errorf("%q is an IP address in an unusual notation; write it dotted, as 192.0.2.1", truncate(s))
	}
	return d, nil
}
