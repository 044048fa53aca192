package signals

import "sync"

// workspace holds the buffers that reading one message needs, pooled for
// the next message: the detector allocates little beyond what it returns.
type workspace struct {
	chars   []char
	pieces  []piece
	spans   [][2]int
	tokens  []token
	forms   []string
	index   index
	hits    []hit
	found   []span
	pending [maxSteps][]span
	windows []window
	have    []bool // have[i]: windows[i] is built for this message
	reach   []int
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
	// Keep no word of the message alive in the pool.
	clear(ws.tokens)
	clear(ws.forms)
	workspaces.Put(ws)
}
