package threaturl

import (
	"bytes"
	"net/netip"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// appendHost appends the canonical form of the host in hostport, an
// authority as written, without its user information, and reports whether
// the host is an IP address.
func appendHost(dst, hostport []byte) ([]byte, bool) {
	if ip, ok := bracketedIP(hostport); ok {
		if ip.Is4() {
			return ip.AppendTo(dst), true
		}
		dst = append(dst, '[')
		return append(ip.AppendTo(dst), ']'), true
	}
	if i := bytes.IndexByte(hostport, ':'); i >= 0 {
		hostport = hostport[:i]
	}
	start := len(dst)
	dst = cleanName(unescape(dst, hostport), start)
	if ascii, ok := punycode(dst[start:]); ok {
		dst = cleanName(append(dst[:start], ascii...), start)
	}
	if ip, ok := parseIPv4(dst[start:]); ok {
		return ip.AppendTo(dst[:start]), true
	}
	return escapeTail(dst, start, &hostEscapes), false
}

// cleanName puts the host name b[start:] in lower case and removes its
// leading and trailing dots and the repeats of a dot, in place.
func cleanName(b []byte, start int) []byte {
	w := start
	for _, c := range b[start:] {
		if c == '.' && (w == start || b[w-1] == '.') {
			continue
		}
		b[w] = lower(c)
		w++
	}
	if w > start && b[w-1] == '.' {
		w--
	}
	return b[:w]
}

// lower is c in lower case, for an ASCII letter.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// punycode returns the ASCII form of a host name written in Unicode. It
// reports false for an ASCII name, and for one that is not valid UTF-8 or
// that the IDNA lookup rules refuse.
func punycode(name []byte) (string, bool) {
	if !hasNonASCII(name) || !utf8.Valid(name) {
		return "", false
	}
	ascii, err := idna.Lookup.ToASCII(string(name))
	return ascii, err == nil
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// nat64 is the well-known prefix of IPv6 addresses that stand for an IPv4
// address in their last four bytes.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// bracketedIP reads an IPv6 address in brackets, possibly followed by a
// port. An address that stands for an IPv4 address becomes that address.
func bracketedIP(hostport []byte) (netip.Addr, bool) {
	end := bytes.IndexByte(hostport, ']')
	if len(hostport) == 0 || hostport[0] != '[' || end < 0 ||
		end+1 < len(hostport) && hostport[end+1] != ':' {
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(string(hostport[1:end]))
	if err != nil || !ip.Is6() || ip.Zone() != "" {
		return netip.Addr{}, false
	}
	if nat64.Contains(ip) {
		b := ip.As16()
		return netip.AddrFrom4([4]byte(b[12:])), true
	}
	return ip.Unmap(), true
}

// parseIPv4 reads a lower-case host name as an IPv4 address in any notation
// a browser accepts: one to four numbers separated by dots, each decimal,
// octal (a leading 0) or hexadecimal (a leading 0x), the last one filling
// the bytes the others leave, as in 3279880203, 0xc3.0177.11 or 195.127.11.
func parseIPv4(host []byte) (netip.Addr, bool) {
	var addr uint64
	for i := 0; i < 4; i++ {
		number, rest, ok := ipv4Number(host)
		if !ok {
			return netip.Addr{}, false
		}
		if len(rest) == 0 {
			bits := 8 * (4 - i)
			if number>>bits != 0 {
				return netip.Addr{}, false
			}
			addr |= number
			return netip.AddrFrom4([4]byte{byte(addr >> 24), byte(addr >> 16), byte(addr >> 8), byte(addr)}), true
		}
		if number > 255 {
			return netip.Addr{}, false
		}
		addr |= number << (24 - 8*i)
		host = rest[1:]
	}
	return netip.Addr{}, false
}

// ipv4Number reads the number at the start of s, up to a dot or the end,
// and returns what follows it. A number above 32 bits is refused.
func ipv4Number(s []byte) (number uint64, rest []byte, ok bool) {
	end := bytes.IndexByte(s, '.')
	if end < 0 {
		end = len(s)
	}
	digits, rest := s[:end], s[end:]
	base := uint64(10)
	if len(digits) > 1 && digits[0] == '0' {
		base, digits = 8, digits[1:]
		if digits[0] == 'x' {
			base, digits = 16, digits[1:]
		}
	} else if len(digits) == 0 {
		return 0, nil, false
	}
	for _, c := range digits {
		if !isHex(c) || uint64(unhex(c)) >= base {
			return 0, nil, false
		}
		number = number*base + uint64(unhex(c))
		if number > 0xffffffff {
			return 0, nil, false
		}
	}
	return number, rest, true
}
