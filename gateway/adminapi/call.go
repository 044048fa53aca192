package adminapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxMessage bounds, in characters, the message of a StatusError.
const maxMessage = 500

// StatusError is an answer of the admin API with a status other than 2xx.
type StatusError struct {
	Status int // the HTTP status code, such as 401 or 404
	// Message is the API's error message or, when the answer was not a
	// JSON error, what it was instead. It is one line of at most 500
	// characters and never holds the client's token.
	Message string
}

func (e *StatusError) Error() string {
	if text := http.StatusText(e.Status); text != "" {
		return fmt.Sprintf("%d %s: %s", e.Status, text, e.Message)
	}
	return fmt.Sprintf("%d: %s", e.Status, e.Message)
}

// do sends a request to the API, with body as JSON unless it is nil, and
// decodes a 2xx answer into out.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	target := c.base + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return err // names the method and URL, never the headers
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	switch {
	case err != nil:
		return fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	case len(raw) > MaxAnswer:
		return fmt.Errorf("%s %s: the answer is larger than %d bytes", method, path, MaxAnswer)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return &StatusError{Status: resp.StatusCode, Message: c.clean(failure(resp, raw))}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: the answer is not the API's JSON: %v", method, path, err)
	}
	return nil
}

// failure is the message of an error answer: the API's, or what the answer
// was instead.
func failure(resp *http.Response, raw []byte) string {
	var body ErrorBody
	if json.Unmarshal(raw, &body) == nil && body.Error != "" {
		return body.Error
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		return fmt.Sprintf("a redirect to %q; give the gateway's internal listener itself as the admin URL", loc)
	}
	ct := "no Content-Type"
	if v := resp.Header.Get("Content-Type"); v != "" {
		ct = strconv.Quote(v)
	}
	return fmt.Sprintf("the answer is not the API's JSON error (%s, %d bytes); is the admin URL the gateway's internal listener?", ct, len(raw))
}

// clean makes a message from the other end fit to print: without the
// token, on one line of printable characters, at most maxMessage long.
func (c *Client) clean(msg string) string {
	msg = strings.ReplaceAll(strings.ToValidUTF8(msg, "\uFFFD"), c.token, "[token]")
	msg = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return '\uFFFD'
		}
		return r
	}, msg)
	if utf8.RuneCountInString(msg) <= maxMessage {
		return msg
	}
	return string([]rune(msg)[:maxMessage]) + "…"
}
