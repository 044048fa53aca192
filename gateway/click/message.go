package click

import (
	"context"

	"github.com/blibli/safelink/gateway/linkify"
	"github.com/blibli/safelink/gateway/verdict"
)

// RewrittenMessage is a chat message with its links turned into gateway
// links, as the rewrite API answers it.
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
	Action verdict.Action `json:"action"`
	// Reasons are the verdict's event reasons (see
	// verdict.Verdict.EventReasons), and for an invalid link its problem.
	Reasons []string `json:"reasons"`
}

// RewriteMessage rewrites one message and decides on each of its links as
// if it were clicked now, signed as rw signs it.
func (s *Service) RewriteMessage(ctx context.Context, policy *verdict.Policy, rw *linkify.Rewriter, text string) RewrittenMessage {
	sig := verdict.Unsigned
	if s.Signatures != nil {
		sig = verdict.SignedValid
	}
	res := rw.Rewrite(text)
	m := RewrittenMessage{Text: res.Text, Links: make([]RewrittenLink, len(res.Links))}
	for i, r := range res.Links {
		v := s.Decide(ctx, policy, r.URL, sig)
		reasons := v.EventReasons()
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
