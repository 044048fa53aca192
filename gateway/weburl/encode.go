package weburl

// charset marks the bytes that may stand unescaped in one part of a URL.
type charset [256]bool

func newCharset(extra string) *charset {
	var c charset
	for b := 'a'; b <= 'z'; b++ {
		c[b], c[b-'a'+'A'] = true, true
	}
	for b := '0'; b <= '9'; b++ {
		c[b] = true
	}
	for _, b := range "-._~" + "!$&'()*+,;=" + extra {
		c[b] = true
	}
	return &c
}

var (
	userAllowed  = newCharset(":")
	pathAllowed  = newCharset(":@/")
	queryAllowed = newCharset(":@/?")
)

const upperhex = "0123456789ABCDEF"

// encode percent-encodes every byte of s that allowed does not hold. A "%"
// that starts a valid escape stays; any other "%" becomes "%25".
func encode(s string, allowed *charset) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if needsEscape(s, i, allowed) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if needsEscape(s, i, allowed) {
			b = append(b, '%', upperhex[c>>4], upperhex[c&15])
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}

func needsEscape(s string, i int, allowed *charset) bool {
	c := s[i]
	if c == '%' {
		return i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])
	}
	return !allowed[c]
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
