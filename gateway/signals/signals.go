// Package signals finds scam signals in chat messages: a request for an
// OTP or a password, the writer's own secret, a payment or a conversation
// moved off Blibli, an Android app file.
//
// The security team writes the patterns, in files under signals/ (see
// docs/security-team.md). A message is read once into words as people
// write them in chat: in lowercase, with digits read as letters (0TP is
// otp), letters spelled out one by one joined ("k o d e" is kode), numbers
// joined across spaces and dashes (0812-3456-7890), and suffixes such as
// -nya set aside. The patterns then run over those words in time linear in
// the length of the message, with no backtracking.
package signals

import (
	"math"
	"slices"
	"unicode/utf8"

	"github.com/blibli/safelink/gateway/verdict"
)

// Signal is a scam signal in a message: its kind and the words that raised
// it.
type Signal struct {
	Kind verdict.SignalKind
	// Start and End are the byte offsets of the words in the message, on
	// UTF-8 boundaries: Text is message[Start:End].
	Start, End int
	Text       string
}

// Match is one match of one pattern line: the signal it raises, or, when
// an unless line drops it, the signal it would have raised.
type Match struct {
	Signal
	Rule         Source  // the match line
	SuppressedBy *Source // the unless line that drops it; nil when it counts
}

// hit is a match as the detector keeps it while it reads a message.
type hit struct {
	span
	kind verdict.SignalKind
	rule *Source
	by   *Source // the unless line that drops it, or nil
}

// maxText bounds what Detect and Explain read of a message, far more than
// a chat message holds: the offsets of its characters are kept in 32 bits.
const maxText = math.MaxInt32

// cutAt returns text cut to at most n bytes, on a character boundary.
func cutAt(text string, n int) string {
	if len(text) <= n {
		return text
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n]
}

// Detect returns the signals of text, ordered by Start, then by kind as
// verdict.SignalKinds lists them. Matches of one kind that overlap make one
// signal.
func (d *Detector) Detect(text string) []Signal {
	text = cutAt(text, maxText)
	ws := getWorkspace()
	defer putWorkspace(ws, text)
	toks := d.vocab.tokenize(ws, text)
	return merge(ws, text, toks, d.hits(ws, toks))
}

// Explain returns every match of every pattern line in text, including
// those an unless line drops, in the order of the pattern files. It says
// why Detect finds what it finds.
func (d *Detector) Explain(text string) []Match {
	text = cutAt(text, maxText)
	ws := getWorkspace()
	defer putWorkspace(ws, text)
	toks := d.vocab.tokenize(ws, text)
	var out []Match
	for _, h := range d.hits(ws, toks) {
		out = append(out, Match{Signal: signal(text, toks, h.kind, h.span), Rule: *h.rule, SuppressedBy: h.by})
	}
	return out
}

// hits runs every pattern over toks and marks the matches an unless line
// drops. The hits live in ws until its next use.
func (d *Detector) hits(ws *workspace, toks []token) []hit {
	out := ws.hits[:0]
	if len(toks) == 0 {
		return out
	}
	d.index(ws, toks)
	if n := len(d.unless); len(ws.windows) < n {
		ws.windows = make([]window, n)
		ws.searched = make([]bool, n)
		ws.have = make([]bool, n)
	}
	searched := ws.searched[:len(d.unless)]
	clear(searched)
	clear(ws.have)
	for gi := range d.groups {
		g := &d.groups[gi]
		at := len(out)
		for pi := range g.matches {
			p := &g.matches[pi]
			for _, s := range p.find(ws) {
				out = append(out, hit{span: s, kind: g.kind, rule: &p.src})
			}
		}
		for ui := range g.unless {
			if len(out) == at {
				break
			}
			u := &g.unless[ui]
			if !searched[u.pattern] {
				searched[u.pattern] = true
				if found := d.unless[u.pattern].find(ws); len(found) > 0 {
					ws.windows[u.pattern].build(found, len(toks))
					ws.have[u.pattern] = true
				}
			}
			if !ws.have[u.pattern] {
				continue
			}
			for hi := at; hi < len(out); hi++ {
				h := &out[hi]
				if h.by == nil && ws.windows[u.pattern].near(u.side, u.within, h.span) {
					h.by = &u.src
				}
			}
		}
	}
	ws.hits = out
	return out
}

func signal(text string, toks []token, kind verdict.SignalKind, s span) Signal {
	start, end := toks[s.from].start, toks[s.to-1].end
	return Signal{Kind: kind, Start: start, End: end, Text: text[start:end]}
}

// merge returns the signals of the hits that count, overlapping ones of a
// kind made one, ordered by Start and kind. It runs in time linear in the
// tokens and the hits, and allocates only the slice it returns.
func merge(ws *workspace, text string, toks []token, hits []hit) []Signal {
	byKind := ws.signals[:0] // the signals of each kind in turn, ordered by Start
	ends := ws.kindEnds[:0]  // ends[k]: where kind k's signals end in byKind
	for _, kind := range verdict.SignalKinds {
		if !slices.ContainsFunc(hits, func(h hit) bool { return h.kind == kind && h.by == nil }) {
			ends = append(ends, len(byKind))
			continue
		}
		// For each token, the end of the longest hit of kind starting
		// there.
		reach := slices.Grow(ws.reach[:0], len(toks))[:len(toks)]
		clear(reach)
		ws.reach = reach
		for _, h := range hits {
			if h.kind == kind && h.by == nil {
				reach[h.from] = max(reach[h.from], h.to)
			}
		}
		cur := span{-1, -1}
		for i, to := range reach {
			switch {
			case to == 0:
			case i < cur.to:
				cur.to = max(cur.to, to)
			default:
				if cur.from >= 0 {
					byKind = append(byKind, signal(text, toks, kind, cur))
				}
				cur = span{i, to}
			}
		}
		byKind = append(byKind, signal(text, toks, kind, cur))
		ends = append(ends, len(byKind))
	}
	ws.signals, ws.kindEnds = byKind, ends
	if len(byKind) == 0 {
		return nil
	}
	next := slices.Grow(ws.kindNext[:0], len(ends))[:len(ends)] // next[k]: kind k's first signal not yet out
	for k := range next {
		next[k] = 0
		if k > 0 {
			next[k] = ends[k-1]
		}
	}
	ws.kindNext = next
	out := make([]Signal, 0, len(byKind))
	for len(out) < len(byKind) {
		pick := -1
		for k := range next {
			if next[k] < ends[k] && (pick < 0 || byKind[next[k]].Start < byKind[next[pick]].Start) {
				pick = k
			}
		}
		out = append(out, byKind[next[pick]])
		next[pick]++
	}
	return out
}
