package series

import (
	"cmp"
	"context"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blibli/safelink/gateway/events"
)

// Defaults of RecorderOptions.
const (
	DefaultFlushEvery   = 2 * time.Second
	DefaultWriteTimeout = 2 * time.Second
	DefaultKeepMinutes  = 60
)

// RecorderOptions tune a Recorder. The zero value gives the defaults.
type RecorderOptions struct {
	FlushEvery   time.Duration // how often the counts go to the store
	WriteTimeout time.Duration // bound on one Add
	// KeepMinutes is how many minutes of counts wait for a store that
	// fails, the newest kept; they go with the next write that succeeds.
	KeepMinutes int
	Logger      *slog.Logger // write failures; none when nil
}

// RecorderStats counts what a Recorder did since it started.
type RecorderStats struct {
	Writes   uint64 // Adds that succeeded
	Failures uint64 // Adds that failed; their counts wait for the next
	Dropped  uint64 // minutes of counts given up: more than KeepMinutes waited
	Pending  int    // minutes of counts waiting now
}

// Recorder folds events into per-minute counts and adds them to a Store in
// the background. Tally takes the queue's batches; Close writes the rest.
type Recorder struct {
	store Store
	opts  RecorderOptions

	mu      sync.Mutex
	pending map[time.Time]*tally

	closing chan struct{}
	done    chan struct{}
	once    sync.Once

	writes, failures, dropped atomic.Uint64
}

// NewRecorder starts a Recorder adding to store. Call Close to write the
// last counts and stop it.
func NewRecorder(store Store, opts RecorderOptions) *Recorder {
	opts.FlushEvery = cmp.Or(max(opts.FlushEvery, 0), DefaultFlushEvery)
	opts.WriteTimeout = cmp.Or(max(opts.WriteTimeout, 0), DefaultWriteTimeout)
	opts.KeepMinutes = cmp.Or(max(opts.KeepMinutes, 0), DefaultKeepMinutes)
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{store: store, opts: opts, pending: map[time.Time]*tally{},
		closing: make(chan struct{}), done: make(chan struct{})}
	go r.run()
	return r
}

// Tally counts the events of batch in the minutes of their times. It is
// events.QueueOptions.Tally: the queue's writer calls it, never /go.
func (r *Recorder) Tally(batch []events.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range batch {
		start := StartOf(batch[i].Time, time.Minute)
		t := r.pending[start]
		if t == nil {
			t = newTally()
			r.pending[start] = t
		}
		t.fold(&batch[i])
	}
	r.keepNewest()
}

// keepNewest gives up the oldest pending minutes past KeepMinutes.
func (r *Recorder) keepNewest() {
	for len(r.pending) > r.opts.KeepMinutes {
		oldest := slices.MinFunc(slices.Collect(maps.Keys(r.pending)), time.Time.Compare)
		delete(r.pending, oldest)
		r.dropped.Add(1)
	}
}

// Stats returns the counters.
func (r *Recorder) Stats() RecorderStats {
	r.mu.Lock()
	pending := len(r.pending)
	r.mu.Unlock()
	return RecorderStats{Writes: r.writes.Load(), Failures: r.failures.Load(), Dropped: r.dropped.Load(), Pending: pending}
}

// Close stops the Recorder after writing what it holds, within ctx.
func (r *Recorder) Close(ctx context.Context) error {
	r.once.Do(func() { close(r.closing) })
	<-r.done
	return r.flush(ctx)
}

func (r *Recorder) run() {
	defer close(r.done)
	tick := time.NewTicker(r.opts.FlushEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), r.opts.WriteTimeout)
			r.flush(ctx)
			cancel()
		case <-r.closing:
			return
		}
	}
}

// flush adds the pending minutes to the store; when it fails they wait
// for the next flush, with the counts taken meanwhile.
func (r *Recorder) flush(ctx context.Context) error {
	r.mu.Lock()
	taken := r.pending
	r.pending = map[time.Time]*tally{}
	r.mu.Unlock()
	if len(taken) == 0 {
		return nil
	}
	minutes := make([]Bucket, 0, len(taken))
	for start, t := range taken {
		minutes = append(minutes, Bucket{Start: start, Counts: t.counts})
	}
	slices.SortFunc(minutes, func(a, b Bucket) int { return a.Start.Compare(b.Start) })
	err := r.store.Add(ctx, minutes)
	if err == nil {
		r.writes.Add(1)
		return nil
	}
	r.failures.Add(1)
	r.opts.Logger.Warn("per-minute counts not written; kept for the next try", "minutes", len(minutes), "error", err)
	r.mu.Lock()
	defer r.mu.Unlock()
	for start, t := range taken {
		if newer := r.pending[start]; newer != nil {
			t.addAll(newer.counts)
		}
		r.pending[start] = t
	}
	r.keepNewest()
	return err
}
