package threat

import (
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

// Status describes the lists together: ready only when every list is, as
// old as the oldest, with the first problem any list has.
func (w *WebRisk) Status() verdict.ListStatus {
	now := time.Now()
	st := verdict.ListStatus{State: verdict.ListsReady, Lists: len(w.lists)}
	for _, l := range w.lists {
		ls := l.state.Load()
		if st.Problem == "" {
			st.Problem = ls.problem
		}
		switch {
		case ls.list == nil:
			st.State = verdict.ListsLoading
		case st.Updated.IsZero() || ls.updated.Before(st.Updated):
			st.Updated = ls.updated
		}
	}
	if !st.Updated.IsZero() {
		st.Age = now.Sub(st.Updated)
	}
	if st.State == verdict.ListsReady && st.Age > w.cfg.MaxAge {
		st.State = verdict.ListsStale
	}
	if w.closed.Load() {
		st.State, st.Problem = verdict.ListsLoading, ErrClosed.Error()
	}
	return st
}

// ListStats are the figures of one threat list, for metrics.
type ListStats struct {
	List             verdict.Threat
	Entries          int
	Updated          time.Time // zero when never updated
	Updates          int64     // successful updates, resets included
	Resets           int64     // updates that replaced the whole list
	ChecksumFailures int64     // diffs refused for a wrong checksum
	Failures         int64     // updates that failed, for any reason
}

// HashStats are the figures of the full-hash lookups of a source, for metrics.
type HashStats struct {
	Calls     int64 // SearchHashes requests
	CacheHits int64 // prefixes answered from the cache
}

// ListStats returns the figures of each list, in the order of the config.
func (w *WebRisk) ListStats() []ListStats {
	out := make([]ListStats, len(w.lists))
	for i, l := range w.lists {
		st := l.state.Load()
		out[i] = ListStats{
			List: l.threat, Updated: st.updated,
			Updates: l.updates.Load(), Resets: l.resets.Load(),
			ChecksumFailures: l.checksumFailures.Load(), Failures: l.failures.Load(),
		}
		if st.list != nil {
			out[i].Entries = st.list.Len()
		}
	}
	return out
}

// HashStats returns the figures of the full-hash lookups.
func (w *WebRisk) HashStats() HashStats {
	return HashStats{Calls: w.fullHashes.calls.Load(), CacheHits: w.fullHashes.hits.Load()}
}
