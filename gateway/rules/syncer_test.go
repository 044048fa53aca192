package rules

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

// flakyStore is a MemoryStore whose reads can fail and whose watch can lose
// a chosen change or carry injected notices.
type flakyStore struct {
	*MemoryStore
	failList  atomic.Bool   // List fails
	failSince atomic.Bool   // Since fails
	pause     atomic.Bool   // the watch loses every change
	lose      atomic.Uint64 // revision whose notice is lost
	inject    chan Notice
}

func newFlakyStore() *flakyStore {
	return &flakyStore{MemoryStore: NewMemoryStore(0), inject: make(chan Notice)}
}

var errUnreachable = errors.New("store unreachable")

func (f *flakyStore) List(ctx context.Context) (Snapshot, error) {
	if f.failList.Load() {
		return Snapshot{}, errUnreachable
	}
	return f.MemoryStore.List(ctx)
}

func (f *flakyStore) Since(ctx context.Context, revision uint64) ([]Change, error) {
	if f.failSince.Load() {
		return nil, errUnreachable
	}
	return f.MemoryStore.Since(ctx, revision)
}

func (f *flakyStore) Watch(ctx context.Context) <-chan Notice {
	in := f.MemoryStore.Watch(ctx)
	out := make(chan Notice)
	go func() {
		defer close(out)
		for {
			var n Notice
			select {
			case m, ok := <-in:
				if !ok {
					return
				}
				if m.Change != nil && (f.pause.Load() || m.Change.Revision == f.lose.Load()) {
					continue
				}
				n = m
			case n = <-f.inject:
			}
			select {
			case out <- n:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// startSyncer runs a Syncer of store until the test ends and waits for its
// first load.
func startSyncer(t *testing.T, store Store, opts SyncerOptions) *Syncer {
	t.Helper()
	s := NewSyncer(store, opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	select {
	case <-s.Loaded():
	case <-time.After(5 * time.Second):
		t.Fatalf("no first load within 5s: %+v", s.State())
	}
	return s
}

// eventually polls cond for up to five seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("not within 5s: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func addRule(t *testing.T, store Store, value string) Rule {
	t.Helper()
	r, err := store.Add(context.Background(), Rule{Match: MatchDomain, Value: value, Action: verdict.RuleBlock, Reason: "test", Author: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func blocked(s *Syncer, domain string) bool {
	_, ok := s.Match(domain, "https://"+domain+"/", time.Now())
	return ok
}

func TestSyncerResyncsAfterAMissedChange(t *testing.T) {
	store := newFlakyStore()
	s := startSyncer(t, store, SyncerOptions{Resync: time.Hour})
	addRule(t, store, "one.example.com")
	eventually(t, "first rule applied", func() bool { return blocked(s, "one.example.com") })

	store.lose.Store(2)
	addRule(t, store, "two.example.com")
	addRule(t, store, "three.example.com")
	eventually(t, "reload after the gap", func() bool {
		return blocked(s, "two.example.com") && blocked(s, "three.example.com")
	})
	if st := s.State(); st.Revision != 3 || st.Rules != 3 || st.LastError != nil {
		t.Errorf("state %+v, want revision 3 and 3 rules", st)
	}
}

// TestSyncerCatchesUpFromTheLog: changes missed while the watch was away
// are read from the audit log when it resubscribes, without a full load.
func TestSyncerCatchesUpFromTheLog(t *testing.T) {
	store := newFlakyStore()
	s := startSyncer(t, store, SyncerOptions{Resync: time.Hour})
	first := addRule(t, store, "one.example.com")

	store.pause.Store(true)
	store.failList.Store(true) // only the log can tell
	addRule(t, store, "two.example.com")
	if _, err := store.Remove(context.Background(), first.ID, Removal{Author: "test", Why: "resolved"}); err != nil {
		t.Fatal(err)
	}
	store.inject <- Notice{Err: errors.New("connection reset")}
	store.pause.Store(false)
	store.inject <- Notice{Resync: true}
	eventually(t, "the missed changes applied", func() bool {
		return blocked(s, "two.example.com") && !blocked(s, "one.example.com")
	})
	eventually(t, "in sync again", func() bool { return s.State().LastError == nil })
	if st := s.State(); st.Revision != 3 || st.Rules != 1 {
		t.Errorf("state %+v, want revision 3 and 1 rule", st)
	}
	addRule(t, store, "three.example.com")
	eventually(t, "changes flow again", func() bool { return blocked(s, "three.example.com") })
}

// TestSyncerReloadsWhenTheLogIsTrimmed: when the audit log no longer
// reaches back to the copy's revision, the syncer loads every rule.
func TestSyncerReloadsWhenTheLogIsTrimmed(t *testing.T) {
	// A retention of a nanosecond keeps only the newest change.
	store := &flakyStore{MemoryStore: NewMemoryStore(time.Nanosecond), inject: make(chan Notice)}
	s := startSyncer(t, store, SyncerOptions{Resync: time.Hour})
	store.pause.Store(true)
	for _, host := range []string{"a.example.com", "b.example.com", "c.example.com", "d.example.com", "e.example.com"} {
		addRule(t, store, host)
	}
	if _, err := store.Since(context.Background(), 0); !errors.Is(err, ErrChangesGone) {
		t.Fatalf("Since(0) on a trimmed log: %v, want ErrChangesGone", err)
	}
	store.pause.Store(false)
	store.inject <- Notice{Resync: true}
	eventually(t, "every rule loaded", func() bool { return s.RuleSet().Len() == 5 })
}

func TestSyncerKeepsItsCopyWhileTheStoreFails(t *testing.T) {
	store := newFlakyStore()
	s := startSyncer(t, store, SyncerOptions{Resync: time.Hour})
	addRule(t, store, "one.example.com")
	eventually(t, "rule applied", func() bool { return blocked(s, "one.example.com") })
	synced := s.State().LastSync

	store.failList.Store(true)
	store.failSince.Store(true)
	store.inject <- Notice{Err: errors.New("connection reset")}
	store.inject <- Notice{Resync: true}
	eventually(t, "failure reported", func() bool { return s.State().LastErrorAt.After(synced) })
	st := s.State()
	if st.LastError == nil || !blocked(s, "one.example.com") || st.Rules != 1 || !st.LastSync.Equal(synced) {
		t.Fatalf("during the failure: state %+v, still blocked %v", st, blocked(s, "one.example.com"))
	}

	store.failList.Store(false)
	store.failSince.Store(false)
	store.inject <- Notice{Resync: true}
	eventually(t, "recovered", func() bool { return s.State().LastError == nil })
	if st := s.State(); !st.LastSync.After(synced) {
		t.Errorf("not in sync after recovery: %+v", st)
	}
}

func TestSyncerCleansUpExpiredRules(t *testing.T) {
	store := NewMemoryStore(0)
	s := startSyncer(t, store, SyncerOptions{Resync: 20 * time.Millisecond})
	r, err := store.Add(context.Background(), Rule{Match: MatchHost, Value: "brief.example", Action: verdict.RuleWarn,
		Reason: "test", Author: "test", ExpiresAt: time.Now().Add(50 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "expired rule removed from the store and the copy", func() bool {
		snap, _ := store.List(context.Background())
		return len(snap.Rules) == 0 && s.RuleSet().Len() == 0
	})
	audit, _ := store.Audit(context.Background(), 10)
	if len(audit) != 2 || audit[0].Op != OpExpire || audit[0].Rule.ID != r.ID || audit[0].Author != ExpiryAuthor {
		t.Errorf("audit %+v, want the expiry of %s first", audit, r.ID)
	}
}
