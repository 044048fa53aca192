package linksign

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"sync"
)

// macLen is the length of the truncated HMAC-SHA256, in bytes.
const macLen = 16

// macContext starts every signed message, so that a key shared by mistake
// with another use cannot produce gateway signatures there. A link with a
// message context starts with macMessageContext instead, so that no link
// without one signs alike.
const (
	macContext        = "safelink/go\x00"
	macMessageContext = "safelink/go+c\x00"
)

// key is one signing key.
type key struct {
	id     string
	secret []byte
	states sync.Pool // of *macState keyed with secret
}

// macState is an HMAC keyed with a key's secret, with room for the message
// and the sum, kept between uses to spare allocations on the hot path.
type macState struct {
	h   hash.Hash
	msg []byte
	sum []byte
}

// newKey returns the key id with the given secret.
func newKey(id string, secret []byte) *key {
	k := &key{id: id, secret: secret}
	k.states.New = func() any { return &macState{h: hmac.New(sha256.New, k.secret)} }
	return k
}

// mac sets dst to the truncated HMAC of the message
// macContext + key id + "\x00" + target, or with a message context,
// macMessageContext + key id + "\x00" + context + "\x00" + target.
func (k *key) mac(dst *[macLen]byte, target, context string) {
	st := k.states.Get().(*macState)
	if context == "" {
		st.msg = append(append(append(st.msg[:0], macContext...), k.id...), 0)
	} else {
		st.msg = append(append(append(append(append(st.msg[:0], macMessageContext...), k.id...), 0), context...), 0)
	}
	st.msg = append(st.msg, target...)
	st.h.Reset()
	st.h.Write(st.msg)
	st.sum = st.h.Sum(st.sum[:0])
	copy(dst[:], st.sum)
	if cap(st.msg) <= maxPooledMsg {
		k.states.Put(st)
	}
}

// maxPooledMsg bounds the message buffers kept for reuse, so that one huge
// target does not stay in memory.
const maxPooledMsg = 4 << 10
