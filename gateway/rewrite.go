package gateway

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/quickjson"
	"github.com/labstack/echo/v4"
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

// parseRewriteRequest decodes the body of a rewrite request: with
// quickjson when it has the shape chat backends send, with encoding/json
// otherwise, which then decides and words the errors. Both read any body
// the same (FuzzRewriteRequestParsing).
func parseRewriteRequest(data []byte) (rewriteRequest, error) {
	var req rewriteRequest
	if members, ok := quickjson.Object(data); ok && req.set(members) {
		return req, nil
	}
	req = rewriteRequest{}
	return req, decodeJSON(data, &req)
}

// set sets the fields of req from members, when each member is one of its
// fields, named exactly, with a value of its type; it reports whether they
// were.
func (req *rewriteRequest) set(members []quickjson.Member) bool {
	for _, m := range members {
		switch {
		case m.Name == "text" && !m.IsArray:
			req.Text = &m.String
		case m.Name == "messages" && m.IsArray:
			req.Messages = m.Strings
		default:
			return false
		}
	}
	return true
}

func (g *Gateway) addRewrite(e *echo.Echo) {
	e.POST("/api/v1/rewrite", g.handleRewrite, g.requireAPI)
}

// requireAPI admits a request with one of the rewrite API's tokens, within
// its limit of each token's calls.
func (g *Gateway) requireAPI(next echo.HandlerFunc) echo.HandlerFunc {
	return g.requireBearer(protectedAPI{name: "api", tokens: g.cfg.APITokens,
		setting: "SAFELINK_API_TOKENS", limit: g.cfg.Shared.APILimit}, next)
}

func (g *Gateway) handleRewrite(c echo.Context) error {
	if g.cfg.Rewriter == nil {
		return apiFail(c, http.StatusServiceUnavailable, "rewriting is off: no public URL is configured")
	}
	messages, single, err := readRewriteRequest(c)
	if err != nil {
		return bodyFailed(c, err)
	}
	l, now := g.current.Load(), time.Now()
	out := make([]click.RewrittenMessage, len(messages))
	for i, m := range messages {
		out[i] = g.clicks.RewriteMessage(c.Request().Context(), l.messages, m)
		g.recordSignals(&out[i], now)
	}
	if single {
		return c.JSON(http.StatusOK, out[0])
	}
	return c.JSON(http.StatusOK, map[string]any{"messages": out})
}

// readRewriteRequest reads and checks the body of a rewrite request. JSON
// strings are valid UTF-8 once decoded, so the offsets of the answer are
// offsets into the text as the client's JSON library decodes it.
func readRewriteRequest(c echo.Context) (messages []string, single bool, err error) {
	data, err := readJSONBody(c, maxRewriteBody)
	if err != nil {
		return nil, false, err
	}
	req, err := parseRewriteRequest(data)
	if err != nil {
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

// recordSignals counts the signals of a rewritten message and, when it has
// any, queues a message event with their kinds, never the message's text.
func (g *Gateway) recordSignals(m *click.RewrittenMessage, now time.Time) {
	if len(m.Signals) == 0 {
		return
	}
	g.metrics.observeSignals(m.Signals)
	if q := g.cfg.Shared.Events; q != nil {
		q.Enqueue(events.Event{Kind: events.KindMessage, Time: now, Signals: m.Kinds()}) // a full queue drops the event and counts it
	}
}
