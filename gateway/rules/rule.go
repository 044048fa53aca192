// Package rules holds the security team's emergency rules: a block, warn or
// allow decision for a domain, a host or a URL prefix, added and removed at
// run time on every replica at once, and the reported rules that users'
// reports add on their own.
//
// A Store keeps the rules and an audit log of every change; MemoryStore is
// the embedded default and the Redis one lives in package redisstore. Each
// replica runs a Syncer that holds every rule in memory as an immutable
// RuleSet, so matching a link never waits on the store.
//
// # Matching
//
// A domain rule covers the domain and every subdomain of one owner: it
// matches a host only when the rule's domain is the host's registrable
// domain or below it (public suffix list, ICANN and private sections). A
// rule for amazonaws.com, stored before such values were refused, covers
// www.amazonaws.com but no bucket under the public suffix s3.amazonaws.com,
// whatever its action: a block that reached across a suffix would shut out
// every other owner's site there, such as sellers' own shops.
//
// A host rule covers exactly one host (a name or an IP address); a
// url-prefix rule every URL whose normalized form starts with the prefix,
// whatever its scheme (a rule for https://x.example/p also covers
// http://x.example/p), ignoring any user name in the URL, and however its
// path is spelled: both are compared with dot segments resolved, unreserved
// characters unescaped, escapes in capitals and runs of slashes made one.
// When several rules match, the strongest action wins: block beats warn
// beats allow beats reported (the warning users' reports raise on their
// own), however specific the weaker rule is.
// A rule stops matching at the instant of its ExpiresAt.
package rules

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blibli/safelink/gateway/verdict"
)

// Kind says what a rule's Value is compared with.
type Kind string

// The kinds of match.
const (
	MatchDomain    Kind = "domain"     // the domain and its subdomains
	MatchHost      Kind = "host"       // exactly one host name or IP address
	MatchURLPrefix Kind = "url-prefix" // URLs starting with an absolute http(s) prefix
)

// strength orders rule actions: a stronger action wins over a weaker one,
// and an unknown action has none.
func strength(a verdict.RuleAction) int {
	if i := slices.Index(verdict.RuleActions, a); i >= 0 {
		return len(verdict.RuleActions) - i
	}
	return 0
}

// Limits on the texts of a rule and of a removal.
const (
	MaxReasonLength = 500  // characters of Rule.Reason and of a removal's why
	MaxByLength     = 100  // characters of an author and of a note
	MaxValueLength  = 2048 // bytes of a normalized Value
)

// Rule is one emergency rule. Its JSON form is the one stored and shown by
// the admin API.
type Rule struct {
	ID     string             `json:"id"`
	Match  Kind               `json:"match"`
	Value  string             `json:"value"`
	Action verdict.RuleAction `json:"action"`
	Reason string             `json:"reason"`
	// Author is who added the rule: the name of the admin token the
	// request came with, never a text of the request. Rules added before
	// tokens had names have none.
	Author string `json:"author,omitempty"`
	// CreatedBy is a note of the caller's, such as the person a shared
	// token acted for; it never stands for the author.
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at,omitzero"` // zero: never expires
}

// Active reports whether r matches at now: it has no expiry or now is
// before it.
func (r *Rule) Active(now time.Time) bool {
	return r.ExpiresAt.IsZero() || now.Before(r.ExpiresAt)
}

// FieldError names the field of a rule, or of a removal, that is wrong.
type FieldError struct {
	Field string // JSON name of the field
	Msg   string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("rule %s: %s", e.Field, e.Msg)
}

func fieldError(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Normalize checks r's match, value, action and texts and returns r with
// the value in its normalized form (see the value rules of each Kind) and
// the texts trimmed. ID and the times are kept as they are.
func (r Rule) Normalize() (Rule, error) {
	var err error
	switch r.Match {
	case MatchDomain:
		r.Value, err = NormalizeDomain(r.Value)
	case MatchHost:
		r.Value, err = NormalizeHost(r.Value)
	case MatchURLPrefix:
		r.Value, err = NormalizeURLPrefix(r.Value)
	default:
		return Rule{}, fieldError("match", "%q is not domain, host or url-prefix", truncate(string(r.Match)))
	}
	if err != nil {
		return Rule{}, &FieldError{Field: "value", Msg: err.Error()}
	}
	if strength(r.Action) == 0 {
		return Rule{}, fieldError("action", "%q is not block, warn, allow or reported", truncate(string(r.Action)))
	}
	err = checkTexts(
		textField{"reason", &r.Reason, MaxReasonLength, false},
		textField{"author", &r.Author, MaxByLength, true},
		textField{"created_by", &r.CreatedBy, MaxByLength, true},
	)
	if err != nil {
		return Rule{}, err
	}
	return r, nil
}

// Prepare readies a new rule for a Store: it normalizes r, gives it a new
// ID and now as CreatedAt, and refuses a rule without an Author or with an
// ExpiresAt that is not after now.
func Prepare(r Rule, now time.Time) (Rule, error) {
	r, err := r.Normalize()
	if err != nil {
		return Rule{}, err
	}
	if r.Author == "" {
		return Rule{}, fieldError("author", "is required: the name of the caller's token")
	}
	if !r.ExpiresAt.IsZero() && !r.ExpiresAt.After(now) {
		return Rule{}, fieldError("expires_at", "%s is not in the future", r.ExpiresAt.UTC().Format(time.RFC3339))
	}
	r.ID = newID()
	r.CreatedAt = now.UTC()
	if !r.ExpiresAt.IsZero() {
		r.ExpiresAt = r.ExpiresAt.UTC()
	}
	return r, nil
}

// Removal is who removes a rule and why.
type Removal struct {
	// Author is the name of the admin token the request came with.
	Author string
	// Note is the caller's own free text about who asked for it; optional,
	// and sent as the "by" of the admin API.
	Note string
	// Why the rule goes; required.
	Why string
}

// Check checks a removal with the limits of a rule's texts and returns it
// trimmed. Its errors name the admin API's fields: by for the note.
func (r Removal) Check() (Removal, error) {
	err := checkTexts(
		textField{"author", &r.Author, MaxByLength, false},
		textField{"by", &r.Note, MaxByLength, true},
		textField{"why", &r.Why, MaxReasonLength, false},
	)
	if err != nil {
		return Removal{}, err
	}
	return r, nil
}

// textField is a text of a rule or a removal to check in place: its JSON
// name, where it is, its limit in characters, and whether it may be empty.
type textField struct {
	name     string
	value    *string
	max      int
	optional bool
}

// checkTexts trims and checks each text in place with checkText; an
// optional one may be empty. The error names the first that is wrong.
func checkTexts(fields ...textField) error {
	for _, f := range fields {
		if f.optional && strings.TrimSpace(*f.value) == "" {
			*f.value = ""
			continue
		}
		checked, err := checkText(*f.value, f.max)
		if err != nil {
			return &FieldError{Field: f.name, Msg: err.Error()}
		}
		*f.value = checked
	}
	return nil
}

// checkText trims s and requires one line of valid UTF-8, not empty, at
// most max characters, without control or invisible formatting characters.
func checkText(s string, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("is not valid UTF-8")
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("is required")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", fmt.Errorf("has %d characters, at most %d", n, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return "", fmt.Errorf("has the control character %U; write one line of text", r)
		}
	}
	return s, nil
}

// newID returns a random rule ID: 16 lowercase hex digits.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// truncate shortens a bad value for an error message.
func truncate(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
