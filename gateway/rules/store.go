package rules

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// ErrNotFound is returned by Store.Remove for an ID that no rule has.
var ErrNotFound = errors.New("rule not found")

// ErrChangesGone is returned by Store.Since when the audit log no longer
// holds every change after the revision asked for: it was trimmed past it,
// or the store is behind it (a failed-over Redis can lose its last writes).
var ErrChangesGone = errors.New("the audit log no longer holds the changes asked for")

// Op is the kind of a change to the rules.
type Op string

// The changes a Store records.
const (
	OpAdd    Op = "add"    // a rule was added
	OpRemove Op = "remove" // a person removed a rule
	OpExpire Op = "expire" // an expired rule was cleaned up
)

// ExpiryAuthor is the Author of the changes that clean up expired rules.
const ExpiryAuthor = "safelink"

// DefaultAuditRetention is how long a store keeps the changes of its audit
// log unless told otherwise: a whole year, and the weeks a yearly review
// takes.
const DefaultAuditRetention = 400 * 24 * time.Hour

// Change is one committed change to the rules: an entry of the audit log
// and the notice a Syncer applies.
type Change struct {
	// Revision numbers the changes of a store from 1, without gaps, so a
	// watcher can tell when it missed one.
	Revision uint64 `json:"revision"`
	Op       Op     `json:"op"`
	Rule     Rule   `json:"rule"` // the whole rule added or removed
	// Author made the change: the name of the admin token of the request,
	// or ExpiryAuthor. Changes made before tokens had names have none.
	Author string `json:"author,omitempty"`
	// Note is the caller's own text about who asked for the change (the
	// rule's CreatedBy, a removal's Note); it never stands for the author.
	Note string    `json:"note,omitempty"`
	Why  string    `json:"why"` // why the change was made
	Time time.Time `json:"time"`
}

// UnmarshalJSON reads a change, taking the "by" of the changes written
// before they had an author, who was then whatever the caller said, as
// their note.
func (c *Change) UnmarshalJSON(b []byte) error {
	type plain Change
	var v struct {
		plain
		By string `json:"by"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Change(v.plain)
	if c.Note == "" {
		c.Note = v.By
	}
	return nil
}

// AddChange is the change that adds the prepared rule r.
func AddChange(r Rule) Change {
	return Change{Op: OpAdd, Rule: r, Author: r.Author, Note: r.CreatedBy, Why: r.Reason, Time: r.CreatedAt}
}

// RemoveChange is the change that removes the rule r at now, by the
// checked removal.
func RemoveChange(r Rule, removal Removal, now time.Time) Change {
	return Change{Op: OpRemove, Rule: r, Author: removal.Author, Note: removal.Note, Why: removal.Why, Time: now.UTC()}
}

// ExpiryChange is the change that cleans up the expired rule r at now.
func ExpiryChange(r Rule, now time.Time) Change {
	return Change{Op: OpExpire, Rule: r, Author: ExpiryAuthor,
		Why: "expired at " + r.ExpiresAt.UTC().Format(time.RFC3339), Time: now.UTC()}
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
	// (re)subscribed, so Since or a full List now misses nothing later.
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
	// with its ID and CreatedAt. Its Author, CreatedBy and Reason are the
	// change's author, note and why.
	Add(ctx context.Context, r Rule) (Rule, error)
	// Remove deletes the rule with the given ID and returns it; the
	// removal is checked by Removal.Check. It returns ErrNotFound for an
	// unknown ID.
	Remove(ctx context.Context, id string, r Removal) (Rule, error)
	// RemoveExpired deletes the rules that no longer match at now, records
	// each as an OpExpire change by ExpiryAuthor, and returns those
	// changes. Replicas may call it concurrently: each rule is removed
	// once.
	RemoveExpired(ctx context.Context, now time.Time) ([]Change, error)
	// Audit returns up to limit changes, newest first. The log is kept by
	// time: each change written drops the changes older than the store's
	// retention, however few or many are left.
	Audit(ctx context.Context, limit int) ([]Change, error)
	// Since returns the changes after revision, oldest first, from the
	// audit log, so that a watcher back from a lost connection catches up
	// on what it missed. It returns ErrChangesGone when the log cannot tell
	// every one of them.
	Since(ctx context.Context, revision uint64) ([]Change, error)
	// Watch delivers Notices until ctx ends, then closes the channel. The
	// first notice, once the watch is subscribed, is a Resync.
	Watch(ctx context.Context) <-chan Notice
}
