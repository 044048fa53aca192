package linkify

import "unicode/utf8"

// hostRun adds the links of the run of host characters (see isHostRune)
// that starts at w[i], with their ports and paths, and returns where
// scanning goes on.
//
// A run is split into segments at labels without a letter or digit
// ("a..b", "x.-.y"). In each segment the host name runs from the first
// letter or digit to the last top-level domain after the first label
// (blibli.com, www.blibli.co.id, blibli.com-nya); without one, each IPv4
// address in it is a host (1.2.3.4). A run that is an e-mail address, or
// the part of one before its @, holds no link; neither does the part of a
// run that belongs to the scheme of a link ("my.app://x").
func (s *scanner) hostRun(i int) int {
	w := s.word
	end, dotted := hostRunEnd(w, i)
	if !dotted {
		return end
	}
	if next := s.emailEnd(i, end); next > 0 {
		return next
	}
	limit := end
	if end < len(w) && w[end] == ':' {
		if start := s.schemeLinkStart(end); start >= 0 {
			limit = start
		}
	}
	for pos := i; pos < end; {
		seg := nextSegment(w, pos, end)
		if seg.start < 0 || seg.start >= limit {
			break
		}
		ips := seg.start
		if seg.tldEnd > 0 {
			if ips = s.hostLink(seg.start, seg.tldEnd); ips > end {
				return ips
			}
		}
		if pos = s.ipv4Links(ips, seg.end, limit); pos > end {
			return pos
		}
	}
	return end
}

// hostRunEnd returns the end of the run of host characters from w[i], and
// whether it holds a dot: without one, it holds no host name.
func hostRunEnd(w string, i int) (end int, dotted bool) {
	for i < len(w) {
		if c := w[i]; c < utf8.RuneSelf {
			if !is(c, hostByte) {
				break
			}
			dotted = dotted || c == '.'
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		if !isHostRune(r) {
			break
		}
		dotted = dotted || isDot(r)
		i += size
	}
	return i, dotted
}

// hostLink adds the link whose host name is w[start:end], with the port
// and the path, query or fragment that follow it, and returns its end.
func (s *scanner) hostLink(start, end int) int {
	w := s.word
	if end+1 < len(w) && w[end] == ':' && isDigit(w[end+1]) {
		for end++; end < len(w) && isDigit(w[end]); end++ {
		}
	}
	if end < len(w) && (w[end] == '/' || w[end] == '?' || w[end] == '#') {
		end = trimEnd(w, end, pathEnd(w, end, false))
	}
	return s.add(start, end, "https://")
}

// segment is a stretch of a host run whose labels each hold a letter or a
// digit: where a host name may stand.
type segment struct {
	start  int // the first letter or digit, or -1 when the run has none left
	end    int // the end of the last label
	tldEnd int // the end of the last top-level domain after the first label, or -1
}

// nextSegment returns the first segment of the host run w[i:end].
func nextSegment(w string, i, end int) segment {
	seg := segment{start: -1, tldEnd: -1}
	for i < end {
		labelEnd, core := labelAt(w, i, end)
		switch {
		case core < 0 && seg.start >= 0:
			return seg
		case core < 0:
		case seg.start < 0:
			seg.start = core
		default:
			if e := tldEnd(w, i); e > 0 {
				seg.tldEnd = e
			}
		}
		seg.end = labelEnd
		if labelEnd == end {
			break
		}
		_, dot := utf8.DecodeRuneInString(w[labelEnd:])
		i = labelEnd + dot
	}
	return seg
}

// labelAt returns the end of the label that starts at w[i] in the host run
// that ends at end, and where its first letter or digit is, or -1.
func labelAt(w string, i, end int) (labelEnd, core int) {
	core = -1
	for i < end {
		r, size := runeAt(w, i)
		if isDot(r) {
			break
		}
		if core < 0 && isLabelCore(r) {
			core = i
		}
		i += size
	}
	return i, core
}
