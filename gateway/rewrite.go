package gateway

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/blibli/safelink/gateway/click"
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
	l := g.current.Load()
	out := make([]click.RewrittenMessage, len(messages))
	for i, m := range messages {
		out[i] = g.clicks.RewriteMessage(c.Request().Context(), l.messages, m)
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
