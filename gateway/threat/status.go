package threat

import (
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

// libraryStaleMessage is the text of the error the library reports once
// its own staleness limit, twice the update period plus 30 seconds, passes.
const libraryStaleMessage = "safebrowsing: threat list is stale"

// Status reports the state and age of the lists.
func (s *SafeBrowsing) Status() verdict.ListStatus {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.status()
}

// status is Status for a caller that holds s.mu.
func (s *SafeBrowsing) status() verdict.ListStatus {
	now := time.Now()
	st := verdict.ListStatus{State: verdict.ListsLoading, Updated: s.log.lastUpdate(), Lists: len(s.cfg.Lists), Restarts: s.restarts}
	client, startup := s.client, s.startup
	switch {
	case startup != nil:
		st.Problem = startup.Error() // redacted when it was stored
	case client != nil:
		stats, err := client.Status()
		switch {
		case err == nil:
			st.State = verdict.ListsReady
		case err.Error() == libraryStaleMessage:
			st.State = verdict.ListsStale
		default:
			st.Problem = s.log.key.String(err.Error())
		}
		// The library tells the time since its last update only once it
		// exceeds the update period, as the lag behind the missed update.
		// That exact figure wins over the time the update was logged.
		if st.State != verdict.ListsLoading && stats.DatabaseUpdateLag > 0 {
			updated := now.Add(-s.cfg.UpdatePeriod - stats.DatabaseUpdateLag)
			if st.Updated.IsZero() || updated.Before(st.Updated) {
				st.Updated = updated
			}
		}
	}
	if !st.Updated.IsZero() {
		st.Age = now.Sub(st.Updated)
	}
	if st.State == verdict.ListsReady && st.Age > s.cfg.MaxAge {
		st.State = verdict.ListsStale
	}
	return st
}
