package verdict

import (
	"encoding/json"
	"time"
)

// ListState is the condition of a threat source's lists: whether a lookup
// can answer from them.
type ListState string

// The states of a threat source's lists.
const (
	// ListsOff means no threat source is configured: nothing is checked.
	ListsOff ListState = "off"
	// ListsLoading means no lists can be used yet: the first download has
	// not finished, or the last update failed and the lists were dropped.
	ListsLoading ListState = "loading"
	// ListsReady means the lists are loaded and younger than their maximum
	// age.
	ListsReady ListState = "ready"
	// ListsStale means the lists are older than their maximum age: no
	// warning may come from them.
	ListsStale ListState = "stale"
)

// ListStatus describes a threat source's lists for /readyz and "safelink
// check".
type ListStatus struct {
	// State is whether the lists can be used.
	State ListState
	// Updated is when the lists were last downloaded; zero if never.
	Updated time.Time
	// Age is the time since Updated; zero if Updated is zero.
	Age time.Duration
	// Lists is the number of lists subscribed to.
	Lists int
	// Problem is why the lists are not ready after a failure, such as a
	// failed request to the server; empty otherwise.
	Problem string
	// Restarts counts the clients started again after their lists failed.
	Restarts int
}

// MarshalJSON writes the status as /readyz shows it, the age in whole
// seconds.
func (s ListStatus) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		State      ListState `json:"state"`
		Updated    time.Time `json:"updated,omitzero"`
		AgeSeconds int64     `json:"age_seconds,omitempty"`
		Lists      int       `json:"lists,omitempty"`
		Problem    string    `json:"problem,omitempty"`
		Restarts   int       `json:"restarts,omitempty"`
	}{s.State, s.Updated, int64(s.Age / time.Second), s.Lists, s.Problem, s.Restarts})
}
