// Package dismissals remembers the registrable domains the security team
// dismissed as false positives: users reported them, someone of the team
// looked and found nothing wrong. A dismissed domain's later reports are
// grouped under that decision in the console, and they never warn about
// the domain on their own until the team undoes the dismissal.
//
// A Store keeps the dismissals and a log of every dismissal and undo, for
// the audit. Memory is the embedded default and the Redis one, shared by
// every replica, lives in package redisstore.
package dismissals

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of a store and of the texts of a dismissal.
const (
	// MaxSites bounds the dismissals a store keeps, so that reading them
	// all for the reports queue is one bounded call.
	MaxSites = 10000
	// MaxLog bounds the changes the log keeps: the latest ones.
	MaxLog = 10000
	// MaxWhyLength bounds the reason of a dismissal, in characters.
	MaxWhyLength = 400
	// MaxAuthorLength bounds the name of who made a change, in characters.
	MaxAuthorLength = 100
	// maxSiteLength is the longest a domain name can be.
	maxSiteLength = 253
)

// ErrNotFound is returned by Store.Undo for a site no dismissal names.
var ErrNotFound = errors.New("no dismissal of that domain")

// ErrFull is returned by Store.Dismiss when the store keeps MaxSites
// dismissals already and the site is not one of them.
var ErrFull = fmt.Errorf("the store keeps %d dismissals already; undo some first", MaxSites)

// Dismissal is the team's decision that the reports of one registrable
// domain were a false positive.
type Dismissal struct {
	Site string `json:"site"` // a registrable domain, lowercase ASCII
	// Author is who dismissed it: the person signed in to the console.
	Author string    `json:"author"`
	Why    string    `json:"why"`
	Time   time.Time `json:"time"`
}

// Op is the kind of a change to the dismissals.
type Op string

// The changes a Store logs.
const (
	OpDismiss Op = "dismiss" // a domain was dismissed, or dismissed again
	OpUndo    Op = "undo"    // a dismissal was undone
)

// Change is one entry of the log: who dismissed a site or undid its
// dismissal, when and why.
type Change struct {
	Op     Op        `json:"op"`
	Site   string    `json:"site"`
	Author string    `json:"author"`
	Why    string    `json:"why,omitempty"`
	Time   time.Time `json:"time"`
}

// FieldError names the field of a dismissal or an undo that is wrong.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return "dismissal " + e.Field + ": " + e.Msg }

// Check trims d's texts and checks them: a site, an author and a reason
// are required, within their limits, and its time is made UTC.
func (d Dismissal) Check() (Dismissal, error) {
	d.Site, d.Author, d.Why = strings.TrimSpace(d.Site), strings.TrimSpace(d.Author), strings.TrimSpace(d.Why)
	if err := checkText("site", d.Site, maxSiteLength); err != nil {
		return Dismissal{}, err
	}
	if err := checkText("author", d.Author, MaxAuthorLength); err != nil {
		return Dismissal{}, err
	}
	if err := checkText("why", d.Why, MaxWhyLength); err != nil {
		return Dismissal{}, err
	}
	d.Time = d.Time.UTC()
	return d, nil
}

// Change is the log entry that records d.
func (d Dismissal) Change() Change {
	return Change{Op: OpDismiss, Site: d.Site, Author: d.Author, Why: d.Why, Time: d.Time}
}

// UndoChange is the log entry of an undo of site's dismissal by author at
// now, checked like a dismissal's texts; why is optional.
func UndoChange(site, author, why string, now time.Time) (Change, error) {
	ch := Change{Op: OpUndo, Site: strings.TrimSpace(site), Author: strings.TrimSpace(author), Why: strings.TrimSpace(why), Time: now.UTC()}
	if err := checkText("site", ch.Site, maxSiteLength); err != nil {
		return Change{}, err
	}
	if err := checkText("author", ch.Author, MaxAuthorLength); err != nil {
		return Change{}, err
	}
	if ch.Why != "" {
		if err := checkText("why", ch.Why, MaxWhyLength); err != nil {
			return Change{}, err
		}
	}
	return ch, nil
}

// checkText refuses an empty text, one that is not valid UTF-8, one with
// control or invisible formatting characters (a line break, a
// right-to-left override that would turn the audit's text around), and one
// longer than max characters.
func checkText(field, s string, max int) error {
	switch {
	case s == "":
		return &FieldError{field, "is required"}
	case !utf8.ValidString(s):
		return &FieldError{field, "is not valid UTF-8"}
	case strings.ContainsFunc(s, invisible):
		return &FieldError{field, "has a control character; write one line of text"}
	case utf8.RuneCountInString(s) > max:
		return &FieldError{field, fmt.Sprintf("is longer than %d characters", max)}
	}
	return nil
}

// invisible reports whether r is a control or formatting character, or a
// line or paragraph separator.
func invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// Store keeps the dismissals and the log of their changes.
// Implementations are safe for concurrent use; each change is stored and
// logged all or nothing.
type Store interface {
	// Dismiss stores d, checked by Dismissal.Check, in place of any
	// dismissal of its site, and logs it. It returns ErrFull when the
	// store is full.
	Dismiss(ctx context.Context, d Dismissal) error
	// Undo forgets the dismissal of the change's site and logs the change,
	// made by UndoChange; it returns the dismissal undone, or ErrNotFound.
	Undo(ctx context.Context, ch Change) (Dismissal, error)
	// Get returns the dismissal of site, if any.
	Get(ctx context.Context, site string) (Dismissal, bool, error)
	// List returns every dismissal, at most MaxSites, in no order.
	List(ctx context.Context) ([]Dismissal, error)
	// Log returns up to limit changes, newest first, of the latest MaxLog.
	Log(ctx context.Context, limit int) ([]Change, error)
}
