package threat

import "time"

// State is the condition of a checker's lists.
type State string

// The states of a checker's lists.
const (
	// StateLoading means no lists can be used yet: the first download has
	// not finished, or the last update failed and the lists were dropped.
	StateLoading State = "loading"
	// StateReady means the lists are loaded and younger than the maximum age.
	StateReady State = "ready"
	// StateStale means the lists are older than the maximum age.
	StateStale State = "stale"
)

// libraryStaleMessage is the text of the error the library reports once
// its own staleness limit, twice the update period plus 30 seconds, passes.
const libraryStaleMessage = "safebrowsing: threat list is stale"

// Status describes a checker's lists, for a readiness report.
type Status struct {
	// State is whether the lists can be used.
	State State
	// Updated is when the lists were last downloaded; zero if never. For
	// lists loaded from Config.DBPath it is the load time until they are
	// older than the update period, when the library reveals their age.
	Updated time.Time
	// Age is the time since Updated; zero if Updated is zero.
	Age time.Duration
	// Lists is the number of lists subscribed to.
	Lists int
	// Problem is the library's reason for StateLoading after a failure,
	// such as a failed request to the server; empty otherwise.
	Problem string
	// Restarts counts the clients started again after their lists failed.
	Restarts int
}

// Status reports the state and age of the lists.
func (s *SafeBrowsing) Status() Status {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.status()
}

// status is Status for a caller that holds s.mu.
func (s *SafeBrowsing) status() Status {
	now := time.Now()
	st := Status{State: StateLoading, Updated: s.log.lastUpdate(), Lists: len(s.cfg.Lists), Restarts: s.restarts}
	client, startup := s.client, s.startup
	switch {
	case startup != nil:
		st.Problem = startup.Error()
	case client != nil:
		stats, err := client.Status()
		switch {
		case err == nil:
			st.State = StateReady
		case err.Error() == libraryStaleMessage:
			st.State = StateStale
		default:
			st.Problem = err.Error()
		}
		// The library tells the time since its last update only once it
		// exceeds the update period, as the lag behind the missed update.
		// That exact figure wins over the time the update was logged,
		// which for lists loaded from DBPath is the load time.
		if st.State != StateLoading && stats.DatabaseUpdateLag > 0 {
			updated := now.Add(-s.cfg.UpdatePeriod - stats.DatabaseUpdateLag)
			if st.Updated.IsZero() || updated.Before(st.Updated) {
				st.Updated = updated
			}
		}
	}
	if !st.Updated.IsZero() {
		st.Age = now.Sub(st.Updated)
	}
	if st.State == StateReady && st.Age > s.cfg.MaxAge {
		st.State = StateStale
	}
	return st
}
