package threat

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/blibli/safelink/gateway/threat/hashlist"
	"github.com/blibli/safelink/gateway/threat/rice"
)

// maxBackoff bounds the wait after failed updates of a list, doubling from
// MinWebRiskUpdate; the update period bounds it too.
const maxBackoff = 5 * time.Minute

// keepUpdated updates l until Close: at once, then when the server
// recommends (within MinWebRiskUpdate and the update period, minus a
// random tenth so that replicas do not ask in step), or after a failure
// with a backoff that doubles up to maxBackoff.
func (w *WebRisk) keepUpdated(l *riskList) {
	defer w.done.Done()
	timer := time.NewTimer(0)
	defer timer.Stop()
	failures := 0
	for {
		select {
		case <-w.ctx.Done():
			return
		case <-timer.C:
		}
		next, err := w.update(l)
		if w.ctx.Err() != nil {
			return
		}
		if err != nil {
			failures++
			l.failures.Add(1)
			w.cfg.Logger.Warn("Web Risk list update failed", "list", l.threat, "error", w.key.String(err.Error()), "failures", failures)
			next = min(MinWebRiskUpdate<<min(failures-1, 20), maxBackoff, w.cfg.UpdatePeriod)
		} else {
			failures = 0
		}
		timer.Reset(jitter(next))
	}
}

// jitter takes up to a tenth off d, never below MinWebRiskUpdate.
func jitter(d time.Duration) time.Duration {
	return max(d-rand.N(d/10+1), MinWebRiskUpdate)
}

// update asks for the diff of l since its version token and applies it.
// It returns when to ask next. A diff that does not apply, or whose
// checksum differs, drops the list: the next request asks for it whole.
func (w *WebRisk) update(l *riskList) (time.Duration, error) {
	old := l.state.Load()
	ctx, cancel := w.call(w.ctx, w.cfg.RequestTimeout)
	defer cancel()
	resp, err := w.client.ComputeThreatListDiff(ctx, &webriskpb.ComputeThreatListDiffRequest{
		ThreatType:   l.wire,
		VersionToken: old.token,
		Constraints: &webriskpb.ComputeThreatListDiffRequest_Constraints{
			SupportedCompressions: []webriskpb.CompressionType{webriskpb.CompressionType_RAW, webriskpb.CompressionType_RICE},
		},
	}, noRetry)
	if err != nil {
		w.fail(l, old, w.key.String(describeCallError(err)))
		return 0, err
	}
	list, err := apply(old.list, resp)
	if err != nil {
		if errors.Is(err, hashlist.ErrChecksum) {
			l.checksumFailures.Add(1)
		}
		// Start over: the next request carries no token and gets the
		// whole list.
		l.state.Store(&listState{problem: err.Error()})
		w.generation.Store(time.Now().UnixNano())
		return 0, err
	}
	now := time.Now()
	if resp.GetResponseType() == webriskpb.ComputeThreatListDiffResponse_RESET {
		l.resets.Add(1)
	}
	l.updates.Add(1)
	l.state.Store(&listState{list: list, token: resp.GetNewVersionToken(), updated: now})
	w.generation.Store(now.UnixNano())
	w.save()
	return w.nextUpdate(resp, now), nil
}

// fail records a failed request: the list stays as it was, with the
// problem shown in Status.
func (w *WebRisk) fail(l *riskList, old *listState, problem string) {
	st := *old
	st.problem = problem
	l.state.Store(&st)
}

// describeCallError says what went wrong with a call in words safe to log
// and show: the gRPC code and message, which never carry the key.
func describeCallError(err error) string {
	if s, ok := status.FromError(err); ok {
		return fmt.Sprintf("%s: %s", s.Code(), s.Message())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return codes.DeadlineExceeded.String()
	}
	return err.Error()
}

// nextUpdate is when to ask for the next diff: when the server recommends,
// within MinWebRiskUpdate and the update period.
func (w *WebRisk) nextUpdate(resp *webriskpb.ComputeThreatListDiffResponse, now time.Time) time.Duration {
	next := w.cfg.UpdatePeriod
	if t := resp.GetRecommendedNextDiff(); t != nil && t.IsValid() {
		next = min(max(t.AsTime().Sub(now), MinWebRiskUpdate), w.cfg.UpdatePeriod)
	}
	return next
}

// apply returns old changed by the diff or reset of resp, checked against
// its checksum.
func apply(old *hashlist.List, resp *webriskpb.ComputeThreatListDiffResponse) (*hashlist.List, error) {
	switch resp.GetResponseType() {
	case webriskpb.ComputeThreatListDiffResponse_RESET:
		old = &hashlist.List{}
	case webriskpb.ComputeThreatListDiffResponse_DIFF:
		if old == nil {
			return nil, fmt.Errorf("%w: a diff for a list not loaded", hashlist.ErrBadDiff)
		}
	default:
		return nil, fmt.Errorf("%w: response type %v", hashlist.ErrBadDiff, resp.GetResponseType())
	}
	removals, err := removalsOf(resp.GetRemovals())
	if err != nil {
		return nil, err
	}
	additions, err := additionsOf(resp.GetAdditions())
	if err != nil {
		return nil, err
	}
	checksum := resp.GetChecksum().GetSha256()
	if len(checksum) != 32 {
		return nil, fmt.Errorf("%w: a checksum of %d bytes", hashlist.ErrBadDiff, len(checksum))
	}
	return old.Apply(removals, additions, checksum)
}

// removalsOf returns the indices of a diff's removals, raw or Rice-coded.
func removalsOf(r *webriskpb.ThreatEntryRemovals) ([]int32, error) {
	if r == nil {
		return nil, nil
	}
	if r.GetRiceIndices() != nil {
		indices, err := rice.DecodeIndices(r.GetRiceIndices())
		if err != nil {
			return nil, fmt.Errorf("%w: removals: %v", hashlist.ErrBadDiff, err)
		}
		return append(indices, r.GetRawIndices().GetIndices()...), nil
	}
	return r.GetRawIndices().GetIndices(), nil
}

// additionsOf returns the prefixes of a diff's additions, raw or
// Rice-coded.
func additionsOf(a *webriskpb.ThreatEntryAdditions) ([]hashlist.Additions, error) {
	if a == nil {
		return nil, nil
	}
	var out []hashlist.Additions
	for _, raw := range a.GetRawHashes() {
		out = append(out, hashlist.Additions{Size: int(raw.GetPrefixSize()), Data: raw.GetRawHashes()})
	}
	if a.GetRiceHashes() != nil {
		prefixes, err := rice.DecodePrefixes(a.GetRiceHashes())
		if err != nil {
			return nil, fmt.Errorf("%w: additions: %v", hashlist.ErrBadDiff, err)
		}
		data := make([]byte, 0, 4*len(prefixes))
		for _, p := range prefixes {
			data = append(data, p[:]...)
		}
		out = append(out, hashlist.Additions{Size: 4, Data: data})
	}
	return out, nil
}
