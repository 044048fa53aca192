package click

import (
	"context"
	"slices"

	"github.com/blibli/safelink/gateway/linkify"
	"github.com/blibli/safelink/gateway/signals"
	"github.com/blibli/safelink/gateway/verdict"
)

// RewrittenMessage is a chat message with its links turned into gateway
// links and its scam signals found, as the rewrite API answers it.
type RewrittenMessage struct {
	Text    string          `json:"text"`
	Links   []RewrittenLink `json:"links"`
	Signals []Signal        `json:"signals"` // never nil: empty when none fired
	kinds   []verdict.SignalKind
}

// Kinds returns the kinds of the message's signals, each once, in the
// order of verdict.SignalKinds: the context its links carry.
func (m *RewrittenMessage) Kinds() []verdict.SignalKind { return m.kinds }

// RewrittenLink is one link of a rewritten message.
type RewrittenLink struct {
	Text  string `json:"text"`  // exactly as in the input
	Start int    `json:"start"` // byte offsets into the input
	End   int    `json:"end"`
	// StartUTF16 and EndUTF16 are the same span in UTF-16 code units,
	// which Android, iOS and JavaScript clients index strings by.
	StartUTF16 int         `json:"start_utf16"`
	EndUTF16   int         `json:"end_utf16"`
	URL        string      `json:"url"`  // the absolute URL of the link
	Href       string      `json:"href"` // the gateway link that replaced it
	Verdict    LinkVerdict `json:"verdict"`
}

// LinkVerdict is the decision on a link at the time it was sent, so that a
// chat client can mark a dangerous link before anyone taps it.
type LinkVerdict struct {
	Action verdict.Action `json:"action"`
	// Reasons are the verdict's event reasons (see
	// verdict.Verdict.EventReasons), and for an invalid link its problem.
	Reasons []string `json:"reasons"`
}

// Signal is a scam signal of a rewritten message: its kind, the words
// that raised it and the hint a chat client shows beside the message.
type Signal struct {
	Kind       verdict.SignalKind `json:"kind"`
	Start      int                `json:"start"` // byte offsets into the input
	End        int                `json:"end"`
	StartUTF16 int                `json:"start_utf16"` // the same span in UTF-16 code units
	EndUTF16   int                `json:"end_utf16"`
	Text       string             `json:"text"` // the input's bytes Start to End
	Hint       Hint               `json:"hint"`
}

// Hint is what a chat client shows beside a message with a signal, in
// Indonesian, as the web team words it in the templates.
type Hint struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// Messages is what rewriting a message needs besides the message and the
// facts of a click: the decision policy and signal patterns of the loaded
// bundle with the hints of its templates, and the rewriter.
type Messages struct {
	Policy   *verdict.Policy
	Rewriter *linkify.Rewriter
	// Detector finds the message's signals; nil finds none.
	Detector *signals.Detector
	// Hints holds the hint of every signal kind.
	Hints map[verdict.SignalKind]Hint
}

// RewriteMessage finds the signals of one message, rewrites its links
// carrying those signals as their context, signed as the rewriter signs,
// and decides on each link as if it were clicked now.
func (s *Service) RewriteMessage(ctx context.Context, m *Messages, text string) RewrittenMessage {
	var found []signals.Signal
	if m.Detector != nil {
		found = m.Detector.Detect(text)
	}
	origin := Origin{Signature: verdict.Unsigned, Signals: kindsOf(found)}
	if s.Signatures != nil {
		origin.Signature = verdict.SignedValid
	}
	res := m.Rewriter.Rewrite(text, verdict.FormatSignalContext(origin.Signals))
	out := RewrittenMessage{Text: res.Text, Links: make([]RewrittenLink, len(res.Links)), Signals: make([]Signal, len(found)), kinds: origin.Signals}
	units := utf16Spans(text, res.Links, found)
	for i, r := range res.Links {
		v := s.Decide(ctx, m.Policy, r.URL, origin)
		reasons := v.EventReasons()
		if v.Action == verdict.Invalid {
			reasons = append(reasons, string(v.Problem))
		}
		out.Links[i] = RewrittenLink{
			Text: r.Text, Start: r.Start, End: r.End, StartUTF16: units[2*i], EndUTF16: units[2*i+1],
			URL: r.URL, Href: r.Href, Verdict: LinkVerdict{Action: v.Action, Reasons: reasons},
		}
	}
	units = units[2*len(res.Links):]
	for i, f := range found {
		out.Signals[i] = Signal{
			Kind: f.Kind, Start: f.Start, End: f.End, StartUTF16: units[2*i], EndUTF16: units[2*i+1],
			Text: f.Text, Hint: m.Hints[f.Kind],
		}
	}
	return out
}

// utf16Spans returns the start and end of each link, then of each signal,
// in UTF-16 code units, reading text once.
func utf16Spans(text string, links []linkify.Rewritten, found []signals.Signal) []int {
	offsets := make([]int, 0, 2*(len(links)+len(found)))
	for _, l := range links {
		offsets = append(offsets, l.Start, l.End)
	}
	for _, f := range found {
		offsets = append(offsets, f.Start, f.End)
	}
	return signals.UTF16Offsets(text, offsets...)
}

// kindsOf returns the kinds of found, each once, in the order of
// verdict.SignalKinds.
func kindsOf(found []signals.Signal) []verdict.SignalKind {
	var kinds []verdict.SignalKind
	for _, k := range verdict.SignalKinds {
		if slices.ContainsFunc(found, func(f signals.Signal) bool { return f.Kind == k }) {
			kinds = append(kinds, k)
		}
	}
	return kinds
}
