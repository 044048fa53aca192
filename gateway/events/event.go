// Package events records what happens to links: each decision of /go, each
// click on "continue" past a warning, and each report of a suspicious link.
//
// The gateway hands events to a Queue, which never blocks it: a background
// writer sends them in batches to a Sink (MemorySink here, a Redis one in
// package redisstore); package series counts them per minute for the
// statistics. No event holds a raw IP address or user ID: UserHash is a
// keyed hash from a Hasher.
package events

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blibli/safelink/gateway/recent"
	"github.com/blibli/safelink/gateway/verdict"
)

// Kind says what happened.
type Kind string

// The kinds of event.
const (
	KindDecision Kind = "decision" // /go decided on a link
	KindContinue Kind = "continue" // a user went on past a warning
	KindReport   Kind = "report"   // a user reported a link
	KindMessage  Kind = "message"  // the rewrite API read a message with scam signals
	// KindScan is /go answering a link-preview bot or scanner, or a HEAD
	// request: not a person's click, so not a decision.
	KindScan Kind = "scan"
)

// Kinds lists every Kind.
var Kinds = []Kind{KindDecision, KindContinue, KindReport, KindMessage, KindScan}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	return slices.Contains(Kinds, k)
}

// Limits that Clip applies.
const (
	MaxCommentLength = 500 // characters of Comment
	MaxFieldLength   = 253 // bytes of Action, Site, Category, UserHash and each reason
	MaxReasons       = 16  // reasons kept
)

// Event is one thing that happened to a link.
type Event struct {
	Kind     Kind           `json:"kind"`
	Time     time.Time      `json:"time"`
	Action   verdict.Action `json:"action,omitempty"`  // the decision: redirect, warn, block or invalid
	Reasons  []string       `json:"reasons,omitempty"` // why a warning or block
	Site     string         `json:"site,omitempty"`    // registrable domain of the link (ASCII)
	Signed   bool           `json:"signed,omitempty"`  // the link carried a valid signature
	UserHash string         `json:"user,omitempty"`    // Hasher.Hash of who acted; never the raw ID
	Category string         `json:"category,omitempty"`
	Comment  string         `json:"comment,omitempty"` // a report's free text
	// Signals are the scam signals of the message: of a message event, or
	// of the message a decided link was sent in. Never the message's text.
	Signals []verdict.SignalKind `json:"signals,omitempty"`
}

// Clip returns e within the limits: texts made valid UTF-8 and cut to
// length, at most MaxReasons reasons and as many signals as there are
// kinds. It never fails, since an event comes from what users send.
func (e Event) Clip() Event {
	e.Action = verdict.Action(clip(string(e.Action), MaxFieldLength))
	e.Site = clip(e.Site, MaxFieldLength)
	e.Category = clip(e.Category, MaxFieldLength)
	e.UserHash = clip(e.UserHash, MaxFieldLength)
	e.Comment = clipRunes(e.Comment, MaxCommentLength)
	if len(e.Reasons) > 0 {
		reasons := make([]string, min(len(e.Reasons), MaxReasons))
		for i := range reasons {
			reasons[i] = clip(e.Reasons[i], MaxFieldLength)
		}
		e.Reasons = reasons
	}
	if len(e.Signals) > 0 {
		signals := make([]verdict.SignalKind, min(len(e.Signals), len(verdict.SignalKinds)))
		for i := range signals {
			signals[i] = verdict.SignalKind(clip(string(e.Signals[i]), MaxFieldLength))
		}
		e.Signals = signals
	}
	return e
}

// HasReason reports whether e gives reason r.
func (e *Event) HasReason(r string) bool {
	for _, x := range e.Reasons {
		if x == r {
			return true
		}
	}
	return false
}

// clip makes s valid UTF-8 and cuts it to at most max bytes on a character
// boundary.
func clip(s string, max int) string {
	if len(s) <= max && utf8.ValidString(s) {
		return s // most texts, at the cost of one quick scan
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// clipRunes makes s valid UTF-8 and cuts it to at most max characters.
func clipRunes(s string, max int) string {
	if len(s) <= max && utf8.ValidString(s) {
		return s // no more bytes than max, so no more characters
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	n := 0
	for i := range s {
		if n == max {
			return s[:i]
		}
		n++
	}
	return s
}

// MinSaltLength is the shortest salt NewHasher accepts.
const MinSaltLength = 16

// Hasher turns a user identifier (an IP address, a user ID) into a
// pseudonym: the same input gives the same hash, but without the salt the
// hash cannot be tied back to the input, not even by trying every IP
// address. Keep the salt secret and the same on every replica.
//
// It remembers the pseudonyms of recent identifiers: a client taps several
// links in a row, and many share an address behind a carrier's NAT. A
// rotating Hasher forgets them when its period changes.
type Hasher struct {
	states sync.Pool // of *hashState
	every  time.Duration
	memory atomic.Pointer[pseudonyms]
}

// pseudonyms are the pseudonyms of recent identifiers in one period.
type pseudonyms struct {
	period int64
	recent *recent.Map[string] // identifier → pseudonym
}

// Bounds of what a Hasher remembers: how many pseudonyms, and the longest
// identifier (an IPv6 address takes 45 bytes at most).
const (
	hasherMemory    = 4096
	maxRememberedID = 64
)

// hashState is the HMAC of one hash and the buffers it writes to, so that
// a hash costs one allocation: the string it returns.
type hashState struct {
	mac hash.Hash // HMAC-SHA256 keyed with the salt
	in  [64]byte  // the identifier; a longer one is copied to the heap
	sum [sha256.Size]byte
	hex [32]byte
}

// NewHasher returns a Hasher keyed with salt, which must hold at least
// MinSaltLength bytes, whose pseudonyms never change.
func NewHasher(salt []byte) (*Hasher, error) {
	return NewRotatingHasher(salt, 0)
}

// NewRotatingHasher returns a Hasher keyed with salt whose pseudonyms
// change every period (UTC days for 24h), so that they do not tie one
// person's events together across periods; zero never changes them.
func NewRotatingHasher(salt []byte, every time.Duration) (*Hasher, error) {
	if len(salt) < MinSaltLength {
		return nil, errors.New("events: the user hash salt must be at least 16 bytes")
	}
	if every < 0 {
		return nil, fmt.Errorf("events: a rotation period of %v is negative", every)
	}
	key := append([]byte(nil), salt...)
	h := &Hasher{every: every}
	h.memory.Store(&pseudonyms{recent: recent.New[string](hasherMemory, maxRememberedID)})
	h.states.New = func() any { return &hashState{mac: hmac.New(sha256.New, key)} }
	return h, nil
}

// period returns the number of the period t falls in; 0 without rotation.
func (h *Hasher) period(t time.Time) int64 {
	if h.every <= 0 {
		return 0
	}
	return t.UnixNano() / int64(h.every)
}

// Hash returns the pseudonym of id: 32 hex digits of HMAC-SHA256. An empty
// id gives an empty hash.
func (h *Hasher) Hash(id string, now time.Time) string {
	if id == "" {
		return ""
	}
	period := h.period(now)
	memory := h.memory.Load()
	if memory.period != period {
		memory = &pseudonyms{period: period, recent: recent.New[string](hasherMemory, maxRememberedID)}
		h.memory.Store(memory)
	}
	if pseudonym, ok := memory.recent.Get(id); ok {
		return pseudonym
	}
	pseudonym := h.compute(id, period)
	memory.recent.Put(id, pseudonym)
	return pseudonym
}

// compute hashes id, after the period's number when the pseudonyms
// rotate, with a pooled HMAC.
func (h *Hasher) compute(id string, period int64) string {
	st := h.states.Get().(*hashState)
	defer h.states.Put(st)
	st.mac.Reset()
	in := st.in[:0]
	if h.every > 0 {
		in = binary.BigEndian.AppendUint64(in, uint64(period))
	}
	st.mac.Write(append(in, id...))
	hex.Encode(st.hex[:], st.mac.Sum(st.sum[:0])[:len(st.hex)/2])
	return string(st.hex[:])
}
