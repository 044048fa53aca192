package linkify

import "unicode/utf8"

// emailEnd reports whether the host run w[i:end] belongs to an e-mail
// address, local@domain, and returns its end, or 0. The domain is a whole
// host run of two or more labels, each with a letter or a digit and no
// format character, the last of them a top-level domain; the local part
// ends with a character of an e-mail address's local part (an ASCII
// letter, digit or one of "._%+-") right before the @. An address followed
// by a path or port ("budi@evil.com/x") is not one: its host is a link.
func (s *scanner) emailEnd(i, end int) int {
	w := s.word
	if i-2 >= s.from && w[i-1] == '@' && is(w[i-2], localByte) && isEmailDomain(w, i, end) {
		return end
	}
	if end+1 < len(w) && w[end] == '@' && is(w[end-1], localByte) {
		if domainEnd, _ := hostRunEnd(w, end+1); isEmailDomain(w, end+1, domainEnd) {
			return domainEnd
		}
	}
	return 0
}

// isEmailDomain reports whether the host run w[i:end] is the domain of an
// e-mail address (see emailEnd).
func isEmailDomain(w string, i, end int) bool {
	if end < len(w) && (w[end] == '/' || w[end] == ':' && end+1 < len(w) && (w[end+1] == '/' || isDigit(w[end+1]))) {
		return false
	}
	labels := 0
	for {
		labelEnd, core := labelAt(w, i, end)
		if core < 0 || hasFormat(w[i:labelEnd]) {
			return false
		}
		labels++
		if labelEnd == end {
			return labels >= 2 && tldEnd(w, i) == end
		}
		_, dot := utf8.DecodeRuneInString(w[labelEnd:])
		i = labelEnd + dot
	}
}
