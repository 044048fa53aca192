package threat

import (
	"net/url"
	"strings"
)

// secret is an API key that must appear in no log line, status or error,
// whatever a client library puts in them: the Safe Browsing library sends
// its key in the request URL, and transport errors quote that URL.
type secret string

// redacted stands in for a secret.
const redacted = "[redacted]"

// redact returns s without the secret, as given or escaped for a URL.
func (k secret) redact(s string) string {
	if k == "" {
		return s
	}
	for _, form := range []string{string(k), url.QueryEscape(string(k)), url.PathEscape(string(k))} {
		s = strings.ReplaceAll(s, form, redacted)
	}
	return s
}

// wrap returns err with the secret taken out of its message; errors.Is
// and errors.As still see what it wraps.
func (k secret) wrap(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{msg: k.redact(err.Error()), err: err}
}

// redactedError is an error whose message has its secret taken out.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
