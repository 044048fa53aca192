package fakeshortener

import (
	"fmt"
	"testing"
)

// The names of a World.
const (
	// Destination is the host that the chains of a World end on.
	Destination = "promo-hadiah.xyz"
	// RebindHost is a shortener host whose DNS points at an internal
	// address: the World's Internal server, which the guard refuses.
	RebindHost = "s.id"
)

// ChainHosts are the shortener hosts the chains of a World go through, in
// turn; every one of them is on the embedded shortener list.
var ChainHosts = []string{"bit.ly", "tinyurl.com", "t.co", "is.gd", "ow.ly", "rb.gy"}

// World is a small internet of fakes: every host of ChainHosts on the one
// Short server, the Destination on a server of its own that a walk must
// never ask, and RebindHost on an Internal server that no request may
// reach. The fakes speak plain http: the links between shorteners are
// http links, the destinations may be https, since they are never fetched.
type World struct {
	Net         *Network
	Short       *Server
	Destination *Server
	Internal    *Server
}

// NewWorld starts the fakes of a World, closed when t ends.
func NewWorld(t testing.TB) *World {
	w := &World{Net: NewNetwork(), Short: New(t), Destination: New(t), Internal: New(t)}
	for _, host := range ChainHosts {
		w.Net.Add(host, w.Short)
	}
	w.Net.Add(Destination, w.Destination)
	w.Destination.Handle("/klaim", Route{Body: 10})
	w.Net.Rebind(RebindHost, w.Internal)
	w.Internal.Handle("/admin", Route{Location: "https://" + Destination + "/klaim"})
	return w
}

// Chain makes a chain of n redirects over ChainHosts, named name, ending
// at to, and returns the first link.
func (w *World) Chain(name string, n int, to string) string {
	for i := range n {
		next := to
		if i < n-1 {
			next = fmt.Sprintf("http://%s/%s-%d", ChainHosts[(i+1)%len(ChainHosts)], name, i+1)
		}
		w.Short.Handle(fmt.Sprintf("/%s-%d", name, i), Route{Location: next, Status: []int{301, 302, 303, 307, 308}[i%5]})
	}
	return fmt.Sprintf("http://%s/%s-0", ChainHosts[0], name)
}

// Untouched returns an error when the Destination or the Internal server
// was asked anything.
func (w *World) Untouched() error {
	if got := w.Destination.Requests(); len(got) > 0 {
		return fmt.Errorf("the destination was fetched: %+v", got)
	}
	if got := w.Internal.Requests(); len(got) > 0 {
		return fmt.Errorf("the internal address was reached: %+v", got)
	}
	return nil
}
