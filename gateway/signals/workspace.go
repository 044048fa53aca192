package signals

import "sync"

// workspace holds the buffers that reading one message needs, pooled for
// the next message: the detector allocates little beyond what it returns.
type workspace struct {
	chars    []char
	pieces   []piece
	spans    [][2]int
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
	workspaces.Put(ws)
}
