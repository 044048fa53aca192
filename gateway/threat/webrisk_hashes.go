package threat

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/blibli/safelink/gateway/recent"
	"github.com/blibli/safelink/gateway/verdict"
)

// fullHashCache keeps the server's answers to SearchHashes by prefix: each
// listed full hash until its expireTime, and that no other full hash of
// the prefix is listed until negativeExpireTime.
type fullHashCache struct {
	entries     *recent.Map[fullHashEntry]
	calls, hits atomic.Int64
}

// fullHashEntry is the answer for one prefix.
type fullHashEntry struct {
	listed        []listedHash
	negativeUntil time.Time
}

// listedHash is one full hash the server confirmed, with its lists.
type listedHash struct {
	hash    [32]byte
	threats []verdict.Threat
	until   time.Time
}

func newFullHashCache(size int) *fullHashCache {
	return &fullHashCache{entries: recent.New[fullHashEntry](max(size, 1), 0)}
}

// threatsOf returns the lists that hold the full hash h at now.
func (e *fullHashEntry) threatsOf(h [32]byte, now time.Time) []verdict.Threat {
	for _, l := range e.listed {
		if l.hash == h && now.Before(l.until) {
			return l.threats
		}
	}
	return nil
}

// validUntil is when e stops answering for the full hashes of its prefix:
// when its first listed hash or its negative answer expires.
func (e *fullHashEntry) validUntil() time.Time {
	until := e.negativeUntil
	for _, l := range e.listed {
		if l.until.Before(until) {
			until = l.until
		}
	}
	return until
}

// usable reports whether e answers for the full hashes of its prefix at
// now.
func (e *fullHashEntry) usable(now time.Time) bool {
	return now.Before(e.validUntil())
}

// UnconfirmedError says a URL's hash prefix is on a list but the server
// could not confirm or refute its full hash: the URL may be dangerous,
// even on an official host.
type UnconfirmedError struct {
	Err error
}

func (e *UnconfirmedError) Error() string {
	return "threat: a listed hash prefix could not be confirmed: " + e.Err.Error()
}

func (e *UnconfirmedError) Unwrap() error { return e.Err }

// Unconfirmed reports true: the caller must not redirect even to an
// official host.
func (e *UnconfirmedError) Unconfirmed() bool { return true }

// fullHashEntry returns the answer for prefix: from the cache while it
// holds, otherwise from the server within ctx.
func (w *WebRisk) fullHashEntry(ctx context.Context, prefix string, now time.Time) (*fullHashEntry, error) {
	c := w.fullHashes
	if e, ok := c.entries.Get(prefix); ok && e.usable(now) {
		c.hits.Add(1)
		return &e, nil
	}
	c.calls.Add(1)
	req := &webriskpb.SearchHashesRequest{HashPrefix: []byte(prefix)}
	for _, l := range w.lists {
		req.ThreatTypes = append(req.ThreatTypes, l.wire)
	}
	callCtx, cancel := w.call(ctx, w.cfg.RequestTimeout)
	defer cancel()
	resp, err := w.client.SearchHashes(callCtx, req, noRetry)
	if err != nil {
		// gRPC may see the deadline pass a moment before the context
		// reports it: either way the budget ran out.
		switch {
		case ctx.Err() != nil:
			err = ctx.Err()
		case status.Code(err) == codes.DeadlineExceeded:
			err = fmt.Errorf("%w: %v", context.DeadlineExceeded, err)
		}
		return nil, &UnconfirmedError{Err: w.key.Error(fmt.Errorf("full hashes of a prefix: %w", err))}
	}
	e, err := w.readFullHashes(resp, []byte(prefix))
	if err != nil {
		return nil, &UnconfirmedError{Err: err}
	}
	c.entries.Put(prefix, e)
	return &e, nil
}

// readFullHashes checks a SearchHashes answer for prefix and returns it as
// a cache entry.
func (w *WebRisk) readFullHashes(resp *webriskpb.SearchHashesResponse, prefix []byte) (fullHashEntry, error) {
	var e fullHashEntry
	if t := resp.GetNegativeExpireTime(); t != nil {
		if err := t.CheckValid(); err != nil {
			return e, fmt.Errorf("full hashes: bad negative expire time: %w", err)
		}
		e.negativeUntil = t.AsTime()
	}
	for _, th := range resp.GetThreats() {
		if len(th.GetHash()) != 32 || !bytes.HasPrefix(th.GetHash(), prefix) {
			return e, fmt.Errorf("full hashes: a hash of %d bytes that does not extend the prefix asked about", len(th.GetHash()))
		}
		if err := th.GetExpireTime().CheckValid(); err != nil {
			return e, fmt.Errorf("full hashes: bad expire time: %w", err)
		}
		l := listedHash{until: th.GetExpireTime().AsTime()}
		copy(l.hash[:], th.GetHash())
		for _, wire := range th.GetThreatTypes() {
			for t, known := range webRiskTypes {
				if known == wire && w.keeps(t) {
					l.threats = append(l.threats, t)
				}
			}
		}
		e.listed = append(e.listed, l)
	}
	return e, nil
}
