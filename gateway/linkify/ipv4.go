package linkify

// ipv4Links adds a link for each IPv4 address in w[i:end], a part of a
// segment of a host run, that starts before limit, and returns the end of
// the last one, or end.
func (s *scanner) ipv4Links(i, end, limit int) int {
	w := s.word
	for i < end && i < limit {
		if !isDigit(w[i]) {
			_, size := runeAt(w, i)
			i += size
			continue
		}
		if i == 0 || !isASCIIWordByte(w[i-1]) {
			if ipEnd := ipv4End(w, i); ipEnd > 0 {
				if i = s.hostLink(i, ipEnd); i > end {
					return i
				}
				continue
			}
		}
		for i < end && isDigit(w[i]) {
			i++
		}
	}
	return end
}

// ipv4End returns the end of the IPv4 address that starts at w[i], or -1:
// four decimal numbers up to 255, of up to three digits each, joined by
// dots, and then no letter, digit or underscore.
func ipv4End(w string, i int) int {
	for part := 0; part < 4; part++ {
		if part > 0 {
			if i == len(w) || w[i] != '.' {
				return -1
			}
			i++
		}
		start, n := i, 0
		for i < len(w) && isDigit(w[i]) && i-start < 3 {
			n = n*10 + int(w[i]-'0')
			i++
		}
		if i == start || n > 255 {
			return -1
		}
	}
	if i < len(w) && isASCIIWordByte(w[i]) {
		return -1
	}
	return i
}
