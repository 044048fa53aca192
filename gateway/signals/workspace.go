package signals

import (
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// workspace holds the buffers that reading one message needs, pooled for
// the next message: the detector allocates little beyond what it returns.
type workspace struct {
	chars    []char
	pieces   []piece
	chunks   []chunk
	tokens   []token
	forms    []string
	index    index
	hits     []hit
	found    []span
	pending  [maxSteps][]span
	windows  []window
	searched []bool // searched[i]: the unless pattern i was looked for in this message
	have     []bool // have[i]: it was found, and windows[i] is its window
	reach    []int
	signals  []Signal // merge's signals of each kind in turn
	kindEnds []int    // where each kind's signals end in signals
	kindNext []int    // merge's next signal of each kind
	// lowered holds the bytes of the words a message spells differently
	// from its text (capitals, digits read as letters): the forms made of
	// them point into it, and live until the workspace's next use.
	lowered []byte
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// maxPooled bounds the message whose workspace goes back to the pool: one
// huge message does not hold its buffers for good.
const maxPooled = 64 << 10

func getWorkspace() *workspace { return workspaces.Get().(*workspace) }

func putWorkspace(ws *workspace, text string) {
	if len(text) > maxPooled {
		return
	}
	// Keep no word of the message, and no pattern line of a detector
	// that a reload replaced, alive in the pool.
	clear(ws.tokens)
	clear(ws.forms)
	clear(ws.hits)
	clear(ws.signals)
	clear(ws.lowered)
	workspaces.Put(ws)
}

// spell returns the runes of cs, each mapped by f, as a string made in
// ws (see since).
func (ws *workspace) spell(cs []char, f func(rune) rune) string {
	start := len(ws.lowered)
	for _, c := range cs {
		ws.lowered = utf8.AppendRune(ws.lowered, f(c.r))
	}
	return ws.since(start)
}

// lower returns the ASCII s in lowercase, made in ws (see since).
func (ws *workspace) lower(s string) string {
	start := len(ws.lowered)
	for i := 0; i < len(s); i++ {
		b := s[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		ws.lowered = append(ws.lowered, b)
	}
	return ws.since(start)
}

// dotted returns "." + s, made in ws (see since).
func (ws *workspace) dotted(s string) string {
	start := len(ws.lowered)
	ws.lowered = append(append(ws.lowered, '.'), s...)
	return ws.since(start)
}

// squeeze returns s with a letter repeated three times or more written
// once (otppp is otp, kakkk is kak), made in ws (see since) when it
// differs from s.
func (ws *workspace) squeeze(s string) string {
	if !hasTriple(s) {
		return s
	}
	start := len(ws.lowered)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		j, n := i+size, 1
		for ; j < len(s) && strings.HasPrefix(s[j:], s[i:i+size]); j += size {
			n++
		}
		if n >= 3 {
			ws.lowered = utf8.AppendRune(ws.lowered, r)
		} else {
			ws.lowered = append(ws.lowered, s[i:j]...)
		}
		i = j
	}
	return ws.since(start)
}

// since returns the bytes of ws.lowered from start as a string, without
// copying them: no allocation once the workspace has grown. Those bytes
// are never written again before the workspace's next use, which starts
// ws.lowered over, and the forms made of them live no longer.
func (ws *workspace) since(start int) string {
	b := ws.lowered[start:]
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
