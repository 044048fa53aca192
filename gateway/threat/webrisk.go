package threat

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	webrisk "cloud.google.com/go/webrisk/apiv1"
	"cloud.google.com/go/webrisk/apiv1/webriskpb"
	"github.com/googleapis/gax-go/v2"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/blibli/safelink/gateway/redact"
	"github.com/blibli/safelink/gateway/threat/hashlist"
	"github.com/blibli/safelink/gateway/threat/threaturl"
	"github.com/blibli/safelink/gateway/verdict"
)

// WebRisk checks URLs against Google Web Risk's threat lists, which it
// keeps in a local database of hash prefixes synced with the Update API
// (ComputeThreatListDiff). Only a URL whose hash prefix is listed costs a
// request (SearchHashes, with the 4-byte prefix alone), so Google never
// sees the URLs people click. Its methods are safe for concurrent use.
type WebRisk struct {
	cfg    WebRiskConfig
	key    *redact.Secrets // taken out of every log line, status and error
	client *webrisk.Client
	// apiKeyHeader is the key sent with each call as metadata, for a
	// plaintext endpoint, where the client refuses option.WithAPIKey.
	apiKeyHeader string

	lists      []*riskList // in the order of cfg.Lists
	fullHashes *fullHashCache
	answers    *lookupCache // recent answers by URL, none past its full hashes' expiry; nil when off
	generation atomic.Int64 // Unix nanoseconds of the last change of any list

	saveMu sync.Mutex // one save of the database at a time
	ctx    context.Context
	stop   context.CancelFunc // ends ctx: the updates and their calls
	done   sync.WaitGroup
	closed atomic.Bool
}

// riskList is one Web Risk list and what its updates have done.
type riskList struct {
	threat verdict.Threat
	wire   webriskpb.ThreatType
	state  atomic.Pointer[listState]

	updates, resets, checksumFailures, failures atomic.Int64
}

// listState is a list as of its last update; never changed once stored.
type listState struct {
	list    *hashlist.List // nil when none is loaded
	token   []byte
	updated time.Time // zero when never updated
	problem string    // why the last update failed; empty after a success
}

// noRetry turns off the client's own retries, which last up to ten
// minutes: the checker has its own deadlines and backoff.
var noRetry = gax.WithRetry(func() gax.Retryer { return nil })

// NewWebRisk validates cfg, loads the lists saved in cfg.DBPath, if any,
// and starts keeping them up to date in the background. It returns at
// once; a list neither saved nor downloaded yet makes Lookup fail with
// ErrNotReady.
func NewWebRisk(cfg WebRiskConfig) (*WebRisk, error) {
	cfg, ep, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	client, keyHeader, err := newWebRiskClient(&cfg, ep)
	if err != nil {
		return nil, err
	}
	w := &WebRisk{
		cfg: cfg, key: redact.New(cfg.APIKey), client: client, apiKeyHeader: keyHeader,
		fullHashes: newFullHashCache(cfg.CacheSize),
		answers:    newLookupCache(cfg.CacheSize, cfg.CacheTTL),
	}
	w.ctx, w.stop = context.WithCancel(context.Background())
	for _, t := range cfg.Lists {
		l := &riskList{threat: t, wire: webRiskTypes[t]}
		l.state.Store(&listState{})
		w.lists = append(w.lists, l)
	}
	w.load()
	for _, l := range w.lists {
		w.done.Add(1)
		go w.keepUpdated(l)
	}
	return w, nil
}

// newWebRiskClient returns the official gRPC client for the endpoint ep
// of cfg, and the key to send as metadata when the endpoint is plaintext.
func newWebRiskClient(cfg *WebRiskConfig, ep webRiskEndpoint) (*webrisk.Client, string, error) {
	opts := []option.ClientOption{option.WithEndpoint(ep.address)}
	keyHeader := ""
	switch {
	case ep.plaintext:
		opts = append(opts, option.WithoutAuthentication(),
			option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())))
		keyHeader = cfg.APIKey
	case cfg.APIKey != "":
		opts = append(opts, option.WithAPIKey(cfg.APIKey))
	}
	client, err := webrisk.NewClient(context.Background(), opts...)
	if err != nil {
		return nil, "", redact.New(cfg.APIKey).Error(fmt.Errorf("threat: Web Risk client: %w", err))
	}
	return client, keyHeader, nil
}

// call returns ctx with the checker's deadline d and the API key, when it
// goes as metadata.
func (w *WebRisk) call(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, d)
	if w.apiKeyHeader != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "x-goog-api-key", w.apiKeyHeader)
	}
	return ctx, cancel
}

// ErrUnknownURL means the URL cannot be put in the canonical form the
// lists are made of, so it cannot be checked.
var ErrUnknownURL = errors.New("threat: URL cannot be checked against Web Risk")

// readiness tells whether every list may be used at now, or the error that
// says why not.
func (w *WebRisk) readiness(now time.Time) error {
	if w.closed.Load() {
		return ErrClosed
	}
	for _, l := range w.lists {
		st := l.state.Load()
		switch {
		case st.list == nil && st.problem != "":
			return fmt.Errorf("%w: Web Risk list %s: %s", ErrNotReady, l.threat, st.problem)
		case st.list == nil:
			return fmt.Errorf("%w: Web Risk list %s is loading", ErrNotReady, l.threat)
		case now.Sub(st.updated) > w.cfg.MaxAge:
			return fmt.Errorf("%w: Web Risk list %s last updated %v ago", ErrStale, l.threat, now.Sub(st.updated).Round(time.Second))
		}
	}
	return nil
}

// Cached returns Lookup's answer for rawURL when it is at hand without a
// request: every list is ready and rawURL was looked up a moment ago.
func (w *WebRisk) Cached(rawURL string, now time.Time) ([]verdict.Threat, bool) {
	if w.readiness(now) != nil {
		return nil, false
	}
	return w.answers.get(rawURL, time.Unix(0, w.generation.Load()), now)
}

// Lookup returns the lists that hold rawURL, each once and in the order of
// verdict.Threats; none for a URL on no list. A URL whose hash prefix is on
// a list is confirmed with its full hash, from the cache of full hashes or
// by asking the server, which is abandoned when ctx ends.
//
// When the answer is unknown, Lookup returns an error: ErrNotReady,
// ErrStale, ErrClosed, ErrUnknownURL, or an *UnconfirmedError wrapping the
// context's error past the time budget or the error of the request for a
// listed prefix's full hashes.
func (w *WebRisk) Lookup(ctx context.Context, rawURL string) ([]verdict.Threat, error) {
	now := time.Now()
	if err := w.readiness(now); err != nil {
		return nil, err
	}
	generation := time.Unix(0, w.generation.Load())
	if threats, ok := w.answers.get(rawURL, generation, now); ok {
		return threats, nil
	}
	hashes, err := threaturl.Hashes(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnknownURL, err)
	}
	prefixes, err := w.listedPrefixes(hashes)
	if err != nil {
		return nil, err
	}
	if len(prefixes) == 0 {
		w.answers.put(rawURL, nil, generation, now)
		return nil, nil
	}
	listed := map[verdict.Threat]bool{}
	var until time.Time // when the first answer used expires
	for prefix := range prefixes {
		entry, err := w.fullHashEntry(ctx, prefix, now)
		if err != nil {
			return nil, err
		}
		for _, h := range hashes {
			for _, t := range entry.threatsOf(h, now) {
				listed[t] = true
			}
		}
		if u := entry.validUntil(); until.IsZero() || u.Before(until) {
			until = u
		}
	}
	threats := w.inOrder(listed)
	w.answers.putUntil(rawURL, threats, generation, now, until)
	return threats, nil
}

// listedPrefixes returns the prefixes of hashes that some list holds, or
// ErrNotReady when a list was dropped since readiness was checked.
func (w *WebRisk) listedPrefixes(hashes [][32]byte) (map[string]bool, error) {
	var out map[string]bool
	for _, l := range w.lists {
		list := l.state.Load().list
		if list == nil {
			return nil, fmt.Errorf("%w: Web Risk list %s was dropped", ErrNotReady, l.threat)
		}
		for _, h := range hashes {
			if p, ok := list.Match(h); ok {
				if out == nil {
					out = map[string]bool{}
				}
				out[string(p)] = true
			}
		}
	}
	return out, nil
}

// inOrder returns the threats of listed that the checker keeps, in the
// order of verdict.Threats.
func (w *WebRisk) inOrder(listed map[verdict.Threat]bool) []verdict.Threat {
	var out []verdict.Threat
	for _, t := range verdict.Threats {
		if listed[t] && w.keeps(t) {
			out = append(out, t)
		}
	}
	return out
}

// keeps reports whether t is one of the checker's lists.
func (w *WebRisk) keeps(t verdict.Threat) bool {
	for _, l := range w.lists {
		if l.threat == t {
			return true
		}
	}
	return false
}

// Close stops the updates, an update under way included, and closes the
// client. Lookups after Close fail with ErrClosed.
func (w *WebRisk) Close() error {
	if w.closed.Swap(true) {
		return nil
	}
	w.stop()
	w.done.Wait()
	return w.client.Close()
}
