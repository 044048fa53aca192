package events

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// recordingSink records batch sizes and events; it fails the first failFirst
// writes, or every write while failing is set, and waits on gate when set.
type recordingSink struct {
	mu        sync.Mutex
	batches   []int
	events    []Event
	failFirst int
	failing   bool
	gate      chan struct{}
}

func (s *recordingSink) Write(ctx context.Context, batch []Event) error {
	if s.gate != nil {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing || s.failFirst > 0 {
		s.failFirst--
		return errors.New("sink down")
	}
	s.batches = append(s.batches, len(batch))
	s.events = append(s.events, batch...)
	return nil
}

func (s *recordingSink) written() ([]int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.batches...), len(s.events)
}

func decision(site string) Event {
	return Event{Kind: KindDecision, Action: "warn", Reasons: []string{"external"}, Site: site}
}

func closeQueue(t *testing.T, q *Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := q.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("not within 5s: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestQueueWritesBatchesBySize(t *testing.T) {
	sink := &recordingSink{}
	q := NewQueue(sink, QueueOptions{BatchSize: 10, FlushEvery: time.Hour})
	for range 25 {
		q.Enqueue(decision("a.example"))
	}
	waitFor(t, "two full batches", func() bool { _, n := sink.written(); return n == 20 })
	closeQueue(t, q)
	if batches, n := sink.written(); n != 25 || len(batches) != 3 || batches[0] != 10 || batches[1] != 10 || batches[2] != 5 {
		t.Errorf("batches %v (%d events), want 10, 10, 5", batches, n)
	}
}

func TestQueueWritesPartialBatchesByTime(t *testing.T) {
	sink := &recordingSink{}
	q := NewQueue(sink, QueueOptions{BatchSize: 100, FlushEvery: 10 * time.Millisecond})
	defer closeQueue(t, q)
	for range 3 {
		q.Enqueue(decision("a.example"))
	}
	waitFor(t, "the partial batch written", func() bool { _, n := sink.written(); return n == 3 })
	if st := q.Stats(); st.Enqueued != 3 || st.Written != 3 || st.Queued != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestQueueFullDropsWithoutBlocking(t *testing.T) {
	sink := &recordingSink{gate: make(chan struct{})}
	q := NewQueue(sink, QueueOptions{Capacity: 10, BatchSize: 1, FlushEvery: time.Millisecond})
	done := make(chan int)
	go func() {
		accepted := 0
		for range 1000 {
			if q.Enqueue(decision("a.example")) {
				accepted++
			}
		}
		done <- accepted
	}()
	var accepted int
	select {
	case accepted = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Enqueue blocked while the sink was stuck")
	}
	st := q.Stats()
	if accepted > 11 || st.Enqueued != uint64(accepted) || st.Dropped != uint64(1000-accepted) {
		t.Errorf("accepted %d of 1000 with capacity 10; stats %+v", accepted, st)
	}
	close(sink.gate)
	closeQueue(t, q)
	if _, n := sink.written(); n != accepted || q.Stats().Written != uint64(accepted) {
		t.Errorf("wrote %d of %d accepted", n, accepted)
	}
}

func TestQueueCloseFlushesAndRefusesMore(t *testing.T) {
	sink := &recordingSink{}
	q := NewQueue(sink, QueueOptions{BatchSize: 1000, FlushEvery: time.Hour})
	for range 250 {
		q.Enqueue(decision("a.example"))
	}
	closeQueue(t, q)
	if _, n := sink.written(); n != 250 {
		t.Errorf("Close flushed %d of 250", n)
	}
	if q.Enqueue(decision("late.example")) {
		t.Error("Enqueue after Close accepted an event")
	}
	if q.Enqueue(Event{Kind: "click"}) {
		t.Error("Enqueue accepted an unknown kind")
	}
	if st := q.Stats(); st.Written != 250 || st.Dropped != 2 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
	closeQueue(t, q)
}

func TestQueueRetriesUntilTheSinkRecovers(t *testing.T) {
	sink := &recordingSink{failFirst: 3}
	q := NewQueue(sink, QueueOptions{BatchSize: 5, FlushEvery: time.Millisecond, RetryBackoff: time.Millisecond})
	for range 5 {
		q.Enqueue(decision("a.example"))
	}
	waitFor(t, "the batch written after three failures", func() bool { _, n := sink.written(); return n == 5 })
	closeQueue(t, q)
	if st := q.Stats(); st.Written != 5 || st.WriteErrors != 3 || st.Failed != 0 {
		t.Errorf("stats %+v, want 5 written after 3 errors", st)
	}
}

func TestQueueGivesUpAfterTheLastRetry(t *testing.T) {
	sink := &recordingSink{failing: true}
	q := NewQueue(sink, QueueOptions{BatchSize: 4, FlushEvery: time.Millisecond, Retries: 2, RetryBackoff: time.Millisecond})
	for range 8 {
		q.Enqueue(decision("a.example"))
	}
	waitFor(t, "both batches given up", func() bool { return q.Stats().Failed == 8 })
	closeQueue(t, q)
	if st := q.Stats(); st.Written != 0 || st.WriteErrors != 6 || st.Queued != 0 {
		t.Errorf("stats %+v, want 3 attempts for each of 2 batches", st)
	}
}

func TestQueueCloseGivesUpWhenOutOfTime(t *testing.T) {
	sink := &recordingSink{gate: make(chan struct{})}
	q := NewQueue(sink, QueueOptions{BatchSize: 2, FlushEvery: time.Hour, WriteTimeout: time.Hour})
	for range 5 {
		q.Enqueue(decision("a.example"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := q.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close = %v, want the deadline", err)
	}
	if st := q.Stats(); st.Failed != 5 || st.Written != 0 {
		t.Errorf("stats %+v, want all 5 given up", st)
	}
}

func TestEnqueueClipsAndStamps(t *testing.T) {
	sink := &recordingSink{}
	q := NewQueue(sink, QueueOptions{})
	long := make([]string, MaxReasons+5)
	for i := range long {
		long[i] = "external"
	}
	q.Enqueue(Event{Kind: KindReport, Reasons: long, Comment: string(make([]rune, MaxCommentLength+10))})
	closeQueue(t, q)
	e := sink.events[0]
	if e.Time.IsZero() || len(e.Reasons) != MaxReasons || len([]rune(e.Comment)) != MaxCommentLength {
		t.Errorf("event not clipped or stamped: time %v, %d reasons, %d comment characters", e.Time, len(e.Reasons), len([]rune(e.Comment)))
	}
}

// Tally sees every event taken from the queue once, however often the
// sink fails the batch, and before the sink has it.
func TestQueueTalliesEachEventOnceDespiteRetries(t *testing.T) {
	sink := &recordingSink{failFirst: 2}
	var (
		mu      sync.Mutex
		tallied int
	)
	q := NewQueue(sink, QueueOptions{BatchSize: 4, FlushEvery: time.Millisecond, RetryBackoff: time.Millisecond,
		Tally: func(batch []Event) { mu.Lock(); tallied += len(batch); mu.Unlock() }})
	for range 10 {
		q.Enqueue(decision("a.example"))
	}
	closeQueue(t, q)
	mu.Lock()
	defer mu.Unlock()
	if _, n := sink.written(); tallied != 10 || n != 10 {
		t.Errorf("tallied %d and wrote %d of 10 events after 2 failed writes", tallied, n)
	}
	if st := q.Stats(); st.Writes < 4 || st.WriteSeconds <= 0 {
		t.Errorf("stats %+v: want at least 4 timed writes (2 failed, then the batches)", st)
	}
}

// Oldest is the time of the oldest waiting event: with the sink stuck it
// stays on the first event queued, and it is zero once all are written.
func TestQueueReportsItsOldestEvent(t *testing.T) {
	sink := &recordingSink{gate: make(chan struct{})}
	q := NewQueue(sink, QueueOptions{BatchSize: 1, FlushEvery: time.Millisecond})
	first := time.Now().Add(-time.Minute)
	q.Enqueue(Event{Kind: KindDecision, Time: first})
	waitFor(t, "the writer stuck on the first event", func() bool { return q.Stats().Queued == 0 })
	q.Enqueue(Event{Kind: KindDecision, Time: first.Add(time.Second)})
	q.Enqueue(Event{Kind: KindDecision, Time: first.Add(2 * time.Second)})
	if st := q.Stats(); !st.Oldest.Equal(first.Add(time.Second)) || st.Queued != 2 {
		t.Errorf("oldest %v with %d queued, want %v with 2", st.Oldest, st.Queued, first.Add(time.Second))
	}
	close(sink.gate)
	closeQueue(t, q)
	if st := q.Stats(); !st.Oldest.IsZero() {
		t.Errorf("oldest %v with nothing queued", st.Oldest)
	}
}
