package weburl

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// HostUnicode is the host as people read it: punycode labels decoded to
// Unicode. It equals Host for an ASCII host or an IP address.
func (u *URL) HostUnicode() string {
	return ToUnicode(u.Host)
}

// ToUnicode decodes the punycode labels of an ASCII domain name for display.
// A name that does not decode cleanly is returned unchanged.
func ToUnicode(host string) string {
	if !strings.Contains(host, "xn--") {
		return host
	}
	s, err := displayProfile.ToUnicode(host)
	if err != nil || !displaySafe(s) {
		return host
	}
	return s
}

// Display is the whole URL as people read it: the host in Unicode and the
// percent-encoding of path, query and fragment decoded where the result is
// valid UTF-8 text without controls, spaces or invisible characters. Display
// is for showing only; never navigate to it.
func (u *URL) Display() string {
	var b strings.Builder
	b.WriteString(u.Scheme)
	b.WriteString("://")
	if u.User != "" {
		b.WriteString(decodeForDisplay(u.User))
		b.WriteByte('@')
	}
	host := u.HostUnicode()
	if u.IP.Is6() {
		host = "[" + host + "]"
	}
	b.WriteString(host)
	if u.Port != "" {
		b.WriteByte(':')
		b.WriteString(u.Port)
	}
	b.WriteString(decodeForDisplay(u.Path))
	if u.HasQuery {
		b.WriteByte('?')
		b.WriteString(decodeForDisplay(u.RawQuery))
	}
	if u.HasFrag {
		b.WriteByte('#')
		b.WriteString(decodeForDisplay(u.Fragment))
	}
	return b.String()
}

// decodeForDisplay decodes the escapes of s that stand for text: bytes of
// multi-byte UTF-8 and printable ASCII other than URL delimiters. The result
// is used only when it is valid UTF-8 without controls, spaces or invisible
// formatting characters, so nothing shown can hide what the link holds.
func decodeForDisplay(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			c := unhex(s[i+1])<<4 | unhex(s[i+2])
			if c >= 0x80 || c > ' ' && c < 0x7f && !strings.ContainsRune(displayKeepsEscaped, rune(c)) {
				b = append(b, c)
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	d := string(b)
	if !displaySafe(d) {
		return s
	}
	return d
}

// displayKeepsEscaped are the ASCII characters whose escapes stay as they
// are in Display, because decoding them would change how the URL reads.
const displayKeepsEscaped = "%/?#&=+;@:"

func unhex(c byte) byte {
	d, _ := digitValue(c)
	return byte(d)
}

func displaySafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) ||
			unicode.Is(unicode.Co, r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}
