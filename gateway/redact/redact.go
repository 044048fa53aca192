// Package redact keeps secrets out of what the gateway writes: log lines,
// errors, status bodies. Client libraries quote their request URLs, headers
// and connection strings in errors; rather than trusting each of them, the
// gateway passes everything it writes through the one set of secrets it
// was configured with.
package redact

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

// Redacted stands in for a secret.
const Redacted = "[redacted]"

// Secrets is a set of secret values, each taken out of a text in every
// form it may appear in: as given, query-escaped, path-escaped and escaped
// inside a JSON string. The nil
// and zero Secrets redact nothing. A Secrets is safe for concurrent use.
type Secrets struct {
	forms []string
}

// New returns the set of the given secrets; empty ones are ignored.
func New(secrets ...string) *Secrets {
	s := &Secrets{}
	seen := map[string]bool{}
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		for _, form := range forms(secret) {
			if !seen[form] {
				seen[form] = true
				s.forms = append(s.forms, form)
			}
		}
	}
	return s
}

// forms returns the spellings of secret that a text may hold.
func forms(secret string) []string {
	quoted, _ := json.Marshal(secret)
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(secret) // a string always encodes
	plain := strings.TrimSuffix(b.String(), "\n")
	return []string{secret, url.QueryEscape(secret), url.PathEscape(secret),
		string(quoted[1 : len(quoted)-1]), plain[1 : len(plain)-1]}
}

// String returns text with every secret replaced by Redacted. Where
// secrets overlap, the whole stretch they cover becomes one Redacted, so no
// part of a secret is left beside it.
func (s *Secrets) String(text string) string {
	if !s.contains(text) {
		return text
	}
	covered := make([]bool, len(text))
	for _, form := range s.forms {
		for from := 0; ; {
			i := strings.Index(text[from:], form)
			if i < 0 {
				break
			}
			for j := from + i; j < from+i+len(form); j++ {
				covered[j] = true
			}
			from += i + 1
		}
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		switch {
		case !covered[i]:
			b.WriteByte(text[i])
		case i == 0 || !covered[i-1]:
			b.WriteString(Redacted)
		}
	}
	return b.String()
}

// contains reports whether text holds a secret.
func (s *Secrets) contains(text string) bool {
	if s == nil {
		return false
	}
	for _, form := range s.forms {
		if strings.Contains(text, form) {
			return true
		}
	}
	return false
}

// Error returns err with the secrets taken out of its message, or err
// itself when its message holds none; errors.Is and errors.As still see
// what it wraps.
func (s *Secrets) Error(err error) error {
	if err == nil || !s.contains(err.Error()) {
		return err
	}
	return &redactedError{msg: s.String(err.Error()), err: err}
}

// redactedError is an error whose message has its secrets taken out.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Handler returns a log handler that passes every record on to next with
// the secrets taken out of its message and of every attribute: strings,
// errors, and any other value whose printed form holds a secret (that
// value is then logged as its redacted printed form).
func (s *Secrets) Handler(next slog.Handler) slog.Handler {
	return &handler{secrets: s, next: next}
}

type handler struct {
	secrets *Secrets
	next    slog.Handler
}

func (h *handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	clean := slog.NewRecord(r.Time, r.Level, h.secrets.String(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		clean.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, clean)
}

func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &handler{secrets: h.secrets, next: h.next.WithAttrs(clean)}
}

func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{secrets: h.secrets, next: h.next.WithGroup(h.secrets.String(name))}
}

// attr returns a with the secrets taken out of its key and value.
func (h *handler) attr(a slog.Attr) slog.Attr {
	a.Key = h.secrets.String(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(h.secrets.String(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]slog.Attr, len(group))
		for i, member := range group {
			clean[i] = h.attr(member)
		}
		a.Value = slog.GroupValue(clean...)
	case slog.KindAny:
		a.Value = h.anyValue(v)
	default:
		a.Value = v
	}
	return a
}

// anyValue redacts a value of no basic kind: an error always becomes its
// redacted message, as the log handlers would print it anyway; another
// value is printed and replaced by its redacted print only when that holds
// a secret, so that lists and maps stay structured in JSON logs.
func (h *handler) anyValue(v slog.Value) slog.Value {
	if err, ok := v.Any().(error); ok {
		return slog.StringValue(h.secrets.String(err.Error()))
	}
	if printed := fmt.Sprint(v.Any()); h.secrets.contains(printed) {
		return slog.StringValue(h.secrets.String(printed))
	}
	return v
}
