package weburl

import (
	"net/netip"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// hostProfile turns a host into the ASCII form a browser looks up: UTS #46
// mapping (case folding, full-width forms), strict LDH labels, valid
// punycode, bidi rules and DNS lengths.
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

// displayProfile turns an ASCII host back into Unicode for display.
var displayProfile = idna.New(idna.Transitional(false))

// normalizeHost returns the canonical host and, for an IP address in any
// notation a browser accepts, the address.
func normalizeHost(host string) (string, netip.Addr, error) {
	if host == "" {
		return "", netip.Addr{}, &Error{Problem: ProblemNoHost}
	}
	if strings.HasPrefix(host, "[") {
		return parseIPv6(host)
	}
	decoded, err := url.PathUnescape(host)
	if err != nil {
		return "", netip.Addr{}, fail(ProblemHost, "bad percent-encoding in host %q", host)
	}
	if err := checkCharacters(decoded); err != nil {
		return "", netip.Addr{}, err
	}
	decoded = strings.TrimSuffix(decoded, ".")
	ascii, err := hostProfile.ToASCII(decoded)
	if err != nil || ascii == "" || strings.HasSuffix(ascii, ".") {
		return "", netip.Addr{}, fail(ProblemHost, "%q is not a valid domain name", host)
	}
	if endsInNumber(ascii) {
		ip, ok := parseIPv4(ascii)
		if !ok {
			return "", netip.Addr{}, fail(ProblemHost, "%q is not a valid IPv4 address", host)
		}
		return ip.String(), ip, nil
	}
	return ascii, netip.Addr{}, nil
}

// parseIPv6 reads a bracketed IPv6 address. An IPv4-mapped address
// becomes the IPv4 address it stands for, the one host it reaches, so that
// both spellings meet the same rules.
func parseIPv6(host string) (string, netip.Addr, error) {
	ip, err := netip.ParseAddr(host[1 : len(host)-1])
	if err != nil || !ip.Is6() || ip.Zone() != "" {
		return "", netip.Addr{}, fail(ProblemHost, "%q is not a valid IPv6 address", host)
	}
	ip = ip.Unmap()
	return ip.String(), ip, nil
}

// endsInNumber reports whether a browser would read host as an IPv4 address:
// its last label is decimal digits or a 0x hexadecimal number.
func endsInNumber(host string) bool {
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	if allDigits(last, 10) {
		return true
	}
	return len(last) >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') && allDigits(last[2:], 16)
}

// parseIPv4 reads an IPv4 address the way browsers do: one to four parts,
// each decimal, octal (leading 0) or hexadecimal (0x), the last part filling
// the remaining bytes, as in 127.1, 0x7f.1 or 2130706433.
func parseIPv4(host string) (netip.Addr, bool) {
	parts := strings.Split(host, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var value uint64
	for i, p := range parts {
		n, ok := parseIPv4Part(p)
		if !ok {
			return netip.Addr{}, false
		}
		if i < len(parts)-1 {
			if n > 255 {
				return netip.Addr{}, false
			}
			value = value<<8 | n
			continue
		}
		width := uint(8 * (5 - len(parts)))
		if n >= 1<<width {
			return netip.Addr{}, false
		}
		value = value<<width | n
	}
	return netip.AddrFrom4([4]byte{byte(value >> 24), byte(value >> 16), byte(value >> 8), byte(value)}), true
}

func parseIPv4Part(p string) (uint64, bool) {
	base := uint64(10)
	switch {
	case len(p) >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
		base, p = 16, p[2:]
	case len(p) >= 2 && p[0] == '0':
		base, p = 8, p[1:]
	case p == "":
		return 0, false
	}
	var n uint64
	for i := 0; i < len(p); i++ {
		d, ok := digitValue(p[i])
		if !ok || d >= base {
			return 0, false
		}
		n = n*base + d
		if n > 1<<32 {
			return 0, false
		}
	}
	return n, true
}

func digitValue(c byte) (uint64, bool) {
	switch {
	case '0' <= c && c <= '9':
		return uint64(c - '0'), true
	case 'a' <= c && c <= 'f':
		return uint64(c-'a') + 10, true
	case 'A' <= c && c <= 'F':
		return uint64(c-'A') + 10, true
	}
	return 0, false
}

func allDigits(s string, base uint64) bool {
	for i := 0; i < len(s); i++ {
		d, ok := digitValue(s[i])
		if !ok || d >= base {
			return false
		}
	}
	return true
}
