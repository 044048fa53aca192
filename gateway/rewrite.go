package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/linkify"
	"github.com/blibli/safelink/gateway/verdict"
)

// Limits of the rewrite API.
const (
	maxRewriteBody    = 1 << 20  // bytes of one request body
	maxRewriteMessage = 64 << 10 // bytes of one message
	maxMessages       = 100      // messages in one request
)

// rewriteRequest is the body of POST /api/v1/rewrite: one message in Text,
// or up to maxMessages in Messages.
type rewriteRequest struct {
	Text     *string  `json:"text"`
	Messages []string `json:"messages"`
}

// RewrittenMessage is the answer for one message.
type RewrittenMessage struct {
	Text  string          `json:"text"`
	Links []RewrittenLink `json:"links"`
}

// RewrittenLink is one link of a rewritten message.
type RewrittenLink struct {
	Text    string      `json:"text"`  // exactly as in the input
	Start   int         `json:"start"` // byte offsets into the input
	End     int         `json:"end"`
	URL     string      `json:"url"`  // the absolute URL of the link
	Href    string      `json:"href"` // the gateway link that replaced it
	Verdict LinkVerdict `json:"verdict"`
}

// LinkVerdict is the decision on a link at the time it was sent, so that a
// chat client can mark a dangerous link before anyone taps it.
type LinkVerdict struct {
	Action  verdict.Action `json:"action"`
	Reasons []string       `json:"reasons"`
}

func (g *Gateway) addRewrite(e *echo.Echo) {
	e.POST("/api/v1/rewrite", g.handleRewrite, g.requireAPI)
}

// requireAPI admits a request with one of the API bearer tokens, within
// the API rate limit.
func (g *Gateway) requireAPI(next echo.HandlerFunc) echo.HandlerFunc {
	return g.requireBearer(g.cfg.APITokens, "SAFELINK_API_TOKENS", next)
}

func (g *Gateway) handleRewrite(c echo.Context) error {
	if g.cfg.Rewriter == nil {
		return apiFail(c, http.StatusServiceUnavailable, "rewriting is off: no public URL is configured")
	}
	messages, single, err := readRewriteRequest(c)
	if err != nil {
		return bodyFailed(c, err)
	}
	l := g.current.Load()
	out := make([]RewrittenMessage, len(messages))
	for i, m := range messages {
		out[i] = RewriteMessage(c.Request().Context(), g.checks, l.decider, g.cfg.Rewriter, m)
	}
	if single {
		return c.JSON(http.StatusOK, out[0])
	}
	return c.JSON(http.StatusOK, map[string]any{"messages": out})
}

// RewriteMessage rewrites one message and decides on each of its links as
// if it were clicked now, signed as the rewriter signs it.
func RewriteMessage(ctx context.Context, checks *Checks, policy Decider, rw *linkify.Rewriter, text string) RewrittenMessage {
	sig := verdict.Unsigned
	if checks.Signatures != nil {
		sig = verdict.SignedValid
	}
	res := rw.Rewrite(text)
	m := RewrittenMessage{Text: res.Text, Links: make([]RewrittenLink, len(res.Links))}
	for i, r := range res.Links {
		v := checks.Decide(ctx, policy, r.URL, sig)
		reasons := eventReasons(&v)
		if v.Action == verdict.Invalid {
			reasons = append(reasons, string(v.Problem))
		}
		m.Links[i] = RewrittenLink{
			Text: r.Text, Start: r.Start, End: r.End, URL: r.URL, Href: r.Href,
			Verdict: LinkVerdict{Action: v.Action, Reasons: reasons},
		}
	}
	return m
}

// readRewriteRequest reads and checks the body of a rewrite request. JSON
// strings are valid UTF-8 once decoded, so the offsets of the answer are
// offsets into the text as the client's JSON library decodes it.
func readRewriteRequest(c echo.Context) (messages []string, single bool, err error) {
	var req rewriteRequest
	if err := decodeJSONBody(c, &req, maxRewriteBody); err != nil {
		return nil, false, err
	}
	switch {
	case req.Text != nil && req.Messages != nil:
		return nil, false, errors.New(`give "text" or "messages", not both`)
	case req.Text != nil:
		messages, single = []string{*req.Text}, true
	case req.Messages == nil:
		return nil, false, errors.New(`give "text" (one message) or "messages" (up to 100)`)
	case len(req.Messages) == 0 || len(req.Messages) > maxMessages:
		return nil, false, fmt.Errorf(`"messages" holds %d messages; give 1 to %d`, len(req.Messages), maxMessages)
	default:
		messages = req.Messages
	}
	for i, m := range messages {
		if len(m) > maxRewriteMessage {
			return nil, false, fmt.Errorf("message %d is %d bytes; at most %d", i, len(m), maxRewriteMessage)
		}
	}
	return messages, single, nil
}
