package rules

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by Store.Remove for an ID that no rule has.
var ErrNotFound = errors.New("rule not found")

// Op is the kind of a change to the rules.
type Op string

// The changes a Store records.
const (
	OpAdd    Op = "add"    // a rule was added
	OpRemove Op = "remove" // a person removed a rule
	OpExpire Op = "expire" // an expired rule was cleaned up
)

// ExpiredBy is the By of the changes that clean up expired rules.
const ExpiredBy = "safelink"

// Change is one committed change to the rules: an entry of the audit log
// and the notice a Syncer applies.
type Change struct {
	// Revision numbers the changes of a store from 1, without gaps, so a
	// watcher can tell when it missed one.
	Revision uint64    `json:"revision"`
	Op       Op        `json:"op"`
	Rule     Rule      `json:"rule"` // the whole rule added or removed
	By       string    `json:"by"`   // who made the change
	Why      string    `json:"why"`  // why they made it
	Time     time.Time `json:"time"`
}

// Snapshot is every stored rule at one revision.
type Snapshot struct {
	Rules    []Rule
	Revision uint64 // of the last change included
}

// Notice is what a Store's Watch delivers: a change, a request to resync in
// full, or a connection problem. Exactly one field is set.
type Notice struct {
	// Change is a committed change, delivered in revision order.
	Change *Change
	// Resync says changes may have been missed: the watch has just
	// (re)subscribed, so a full List now misses nothing later.
	Resync bool
	// Err says the watch lost its connection; it reconnects by itself and
	// then delivers a Resync.
	Err error
}

// Store keeps the rules and the audit log of their changes. Implementations
// are safe for concurrent use. Each method that changes the rules records
// the Change in the audit log and notifies watchers, all or nothing.
type Store interface {
	// List returns every rule, expired ones not yet cleaned up included.
	List(ctx context.Context) (Snapshot, error)
	// Add prepares r (see Prepare), stores it and returns it as stored,
	// with its ID and CreatedAt. Its CreatedBy and Reason are the change's
	// who and why.
	Add(ctx context.Context, r Rule) (Rule, error)
	// Remove deletes the rule with the given ID and returns it. by and why
	// are checked by CheckRemoval. It returns ErrNotFound for an unknown ID.
	Remove(ctx context.Context, id, by, why string) (Rule, error)
	// RemoveExpired deletes the rules that no longer match at now, records
	// each as an OpExpire change by ExpiredBy, and returns those changes.
	// Replicas may call it concurrently: each rule is removed once.
	RemoveExpired(ctx context.Context, now time.Time) ([]Change, error)
	// Audit returns up to limit changes, newest first. The log is capped:
	// the oldest entries are trimmed past the store's audit limit.
	Audit(ctx context.Context, limit int) ([]Change, error)
	// Watch delivers Notices until ctx ends, then closes the channel. The
	// first notice, once the watch is subscribed, is a Resync.
	Watch(ctx context.Context) <-chan Notice
}
