package events

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Sink stores batches of events.
type Sink interface {
	// Write stores every event of batch, or returns an error; the queue then
	// writes the same batch again. It must not keep batch after returning.
	Write(ctx context.Context, batch []Event) error
}

// Defaults of QueueOptions.
const (
	DefaultCapacity     = 10_000
	DefaultBatchSize    = 100
	DefaultFlushEvery   = 200 * time.Millisecond
	DefaultWriteTimeout = 2 * time.Second
	DefaultRetries      = 5
	DefaultRetryBackoff = 100 * time.Millisecond
)

// maxRetryBackoff caps the doubling wait between two attempts.
const maxRetryBackoff = 5 * time.Second

// QueueOptions tune a Queue. The zero value gives the defaults.
type QueueOptions struct {
	Capacity     int           // events waiting at most; more are dropped
	BatchSize    int           // events written at once
	FlushEvery   time.Duration // longest wait before a partial batch is written
	WriteTimeout time.Duration // bound on one write
	Retries      int           // writes of a failed batch after the first, before it is given up; negative for none
	RetryBackoff time.Duration // wait before the first retry, doubled for each next one up to 5s
	Logger       *slog.Logger  // write failures; none when nil
	// Tally, when set, sees each batch once, in the writer, before its
	// first write: counters kept beside the sink (see package series) count
	// every event taken from the queue exactly once, whatever the sink does.
	// It must not keep the batch.
	Tally func(batch []Event)
}

func (o *QueueOptions) setDefaults() {
	if o.Capacity <= 0 {
		o.Capacity = DefaultCapacity
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = DefaultFlushEvery
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.Retries < 0 {
		o.Retries = 0
	} else if o.Retries == 0 {
		o.Retries = DefaultRetries
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = DefaultRetryBackoff
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// QueueStats counts what a Queue did since it started.
type QueueStats struct {
	Enqueued    uint64 // accepted by Enqueue
	Written     uint64 // stored by the sink
	Dropped     uint64 // refused by Enqueue: the queue was full or closed, or the kind unknown
	Failed      uint64 // accepted but given up: the sink failed every retry, or Close ran out of time
	WriteErrors uint64 // failed writes, retries included
	Queued      int    // waiting now
	// Oldest is the time of the oldest event waiting now; zero when none
	// waits. Its age is how far the store lags behind the clicks.
	Oldest time.Time `json:",omitzero"`
	// Writes counts the sink's writes, failed ones included, and
	// WriteSeconds is the time they took together.
	Writes       uint64
	WriteSeconds float64
}

// Queue buffers events between the gateway and a Sink. Enqueue never
// blocks; a background writer sends batches by size or by time, retries a
// failed batch with backoff a bounded number of times, and Close flushes.
// Memory stays bounded by the capacity and one batch.
type Queue struct {
	sink Sink
	opts QueueOptions

	mu      sync.Mutex // guards closed and the ring
	closed  bool
	ring    []Event            // of Capacity events; those waiting start at head
	head    int                // index of the oldest waiting event
	queued  int                // events waiting
	full    chan struct{}      // a batch is waiting; holds one signal at most
	closing chan struct{}      // closed by Close
	life    context.Context    // canceled when Close runs out of time
	cancel  context.CancelFunc // cancels life
	done    chan struct{}      // closed when the writer has finished

	enqueued, written, dropped, failed, writeErrors, writes, writeNanos atomic.Uint64
}

// NewQueue starts a Queue writing to sink. Call Close to flush and stop it.
func NewQueue(sink Sink, opts QueueOptions) *Queue {
	opts.setDefaults()
	q := &Queue{
		sink:    sink,
		opts:    opts,
		ring:    make([]Event, opts.Capacity),
		full:    make(chan struct{}, 1),
		closing: make(chan struct{}),
		done:    make(chan struct{}),
	}
	q.life, q.cancel = context.WithCancel(context.Background())
	go q.run()
	return q
}

// Enqueue queues e, clipped (see Event.Clip) and stamped with the current
// time if it has none. It never blocks: when the queue is full or closed,
// or e's Kind is not valid, it drops e, counts it and returns false.
func (q *Queue) Enqueue(e Event) bool {
	if !e.Kind.Valid() {
		q.dropped.Add(1)
		return false
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e = e.Clip()
	q.mu.Lock()
	if q.closed || q.queued == len(q.ring) {
		q.mu.Unlock()
		q.dropped.Add(1)
		return false
	}
	q.ring[(q.head+q.queued)%len(q.ring)] = e
	q.queued++
	batchWaits := q.queued >= q.opts.BatchSize
	q.mu.Unlock()
	q.enqueued.Add(1)
	if batchWaits {
		select {
		case q.full <- struct{}{}:
		default:
		}
	}
	return true
}

// Close stops accepting events and writes what is queued. It returns when
// everything is written or given up, or ctx's error when ctx ends first,
// after giving up the rest.
func (q *Queue) Close(ctx context.Context) error {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.closing)
	}
	q.mu.Unlock()
	select {
	case <-q.done:
		return nil
	case <-ctx.Done():
		q.cancel()
		<-q.done
		return ctx.Err()
	}
}

// Stats returns the counters.
func (q *Queue) Stats() QueueStats {
	queued, oldest := q.waiting()
	return QueueStats{
		Enqueued:     q.enqueued.Load(),
		Written:      q.written.Load(),
		Dropped:      q.dropped.Load(),
		Failed:       q.failed.Load(),
		WriteErrors:  q.writeErrors.Load(),
		Queued:       queued,
		Oldest:       oldest,
		Writes:       q.writes.Load(),
		WriteSeconds: time.Duration(q.writeNanos.Load()).Seconds(),
	}
}

// waiting returns how many events wait in the ring and the time of the
// oldest.
func (q *Queue) waiting() (int, time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.queued == 0 {
		return 0, time.Time{}
	}
	return q.queued, q.ring[q.head].Time
}

// run is the writer. It sleeps until a whole batch waits, writing the
// whole batches, or until FlushEvery has passed, writing every queued
// event, until Close. It is never woken for one event: on a busy core each
// wake-up pushes a request to the back of the run queue.
func (q *Queue) run() {
	defer close(q.done)
	defer q.cancel()
	batch := make([]Event, 0, q.opts.BatchSize)
	tick := time.NewTicker(q.opts.FlushEvery)
	defer tick.Stop()
	for {
		select {
		case <-q.full:
			q.writeQueued(batch, q.opts.BatchSize)
		case <-tick.C:
			q.writeQueued(batch, 1)
		case <-q.closing:
			q.writeQueued(batch, 1)
			return
		}
	}
}

// writeQueued writes queued events in batches of at most BatchSize, using
// batch's storage, as long as atLeast events or more wait.
func (q *Queue) writeQueued(batch []Event, atLeast int) {
	for {
		batch = q.take(batch[:0], atLeast)
		if len(batch) == 0 {
			return
		}
		if q.opts.Tally != nil {
			q.opts.Tally(batch)
		}
		q.write(batch)
	}
}

// take moves up to BatchSize of the oldest events from the ring to batch,
// provided atLeast events wait, and returns batch.
func (q *Queue) take(batch []Event, atLeast int) []Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.queued < atLeast || q.queued == 0 {
		return batch
	}
	for range min(q.queued, q.opts.BatchSize) {
		batch = append(batch, q.ring[q.head])
		q.ring[q.head] = Event{} // the ring holds no text it no longer needs
		q.head = (q.head + 1) % len(q.ring)
		q.queued--
	}
	return batch
}

// write stores batch, retrying with backoff, and gives it up after the last
// retry or when Close has run out of time.
func (q *Queue) write(batch []Event) {
	backoff := q.opts.RetryBackoff
	for attempt := 0; ; attempt++ {
		if q.life.Err() != nil {
			q.giveUp(batch, "closing ran out of time", nil)
			return
		}
		ctx, cancel := context.WithTimeout(q.life, q.opts.WriteTimeout)
		start := time.Now()
		err := q.sink.Write(ctx, batch)
		q.writes.Add(1)
		q.writeNanos.Add(uint64(time.Since(start)))
		cancel()
		if err == nil {
			q.written.Add(uint64(len(batch)))
			return
		}
		q.writeErrors.Add(1)
		if attempt == q.opts.Retries {
			q.giveUp(batch, "the sink failed every retry", err)
			return
		}
		q.opts.Logger.Debug("event write failed; retrying", "events", len(batch), "retry_in", backoff, "error", err)
		select {
		case <-time.After(backoff):
		case <-q.life.Done():
		}
		backoff = min(2*backoff, maxRetryBackoff)
	}
}

func (q *Queue) giveUp(batch []Event, why string, err error) {
	q.failed.Add(uint64(len(batch)))
	q.opts.Logger.Warn("events given up", "events", len(batch), "why", why, "error", err)
}
