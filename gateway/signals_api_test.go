package gateway_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	safelink "github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/pages"
	"github.com/blibli/safelink/gateway/verdict"
)

// utf16Len is the length of s in UTF-16 code units, as a JavaScript,
// Android or iOS client counts it.
func utf16Len(s string) int {
	return len(utf16.Encode([]rune(s)))
}

// checkSpans fails unless every link and signal of m spans its text in
// msg, in bytes and in UTF-16 code units.
func checkSpans(t *testing.T, msg string, m click.RewrittenMessage) {
	t.Helper()
	type span struct {
		text                       string
		start, end, start16, end16 int
	}
	var spans []span
	for _, l := range m.Links {
		spans = append(spans, span{l.Text, l.Start, l.End, l.StartUTF16, l.EndUTF16})
	}
	for _, s := range m.Signals {
		spans = append(spans, span{s.Text, s.Start, s.End, s.StartUTF16, s.EndUTF16})
	}
	units := utf16.Encode([]rune(msg))
	for _, s := range spans {
		if s.start < 0 || s.end > len(msg) || s.start > s.end || msg[s.start:s.end] != s.text {
			t.Errorf("span %d–%d does not hold %q in %q", s.start, s.end, s.text, msg)
			continue
		}
		if s.start16 != utf16Len(msg[:s.start]) || s.end16 != utf16Len(msg[:s.end]) {
			t.Errorf("%q: UTF-16 span %d–%d, want %d–%d", s.text, s.start16, s.end16, utf16Len(msg[:s.start]), utf16Len(msg[:s.end]))
			continue
		}
		if got := string(utf16.Decode(units[s.start16:s.end16])); got != s.text {
			t.Errorf("the UTF-16 span %d–%d holds %q, want %q", s.start16, s.end16, got, s.text)
		}
	}
}

// embeddedHints are the hints of the embedded templates.
func embeddedHints(t *testing.T) map[verdict.SignalKind]click.Hint {
	t.Helper()
	set, err := pages.Parse(safelink.Templates())
	if err != nil {
		t.Fatal(err)
	}
	hints, err := gateway.ReadHints(set)
	if err != nil {
		t.Fatal(err)
	}
	return hints
}

func kinds(m click.RewrittenMessage) []verdict.SignalKind {
	var out []verdict.SignalKind
	for _, s := range m.Signals {
		out = append(out, s.Kind)
	}
	return out
}

func TestRewriteAPISignals(t *testing.T) {
	api := loadOpenAPI(t)
	g := rewriteGateway(t, false, 600)
	hints := embeddedHints(t)
	for _, tc := range []struct {
		name, msg string
		want      []verdict.SignalKind
	}{
		{"otp with emoji and a link", "Kak 🙏🏽 barusan ada kode OTP masuk, tolong kirim ke saya ya 😊 biar cepat: toko-sepatu.example/verifikasi",
			[]verdict.SignalKind{verdict.SignalCredentialRequest}},
		{"non-Latin text before the words", "Привет, 你好 👋🏻 kak! Lanjut di wa aja ya 0812-3456-7890, transfer langsung ke rekening saya bca 1234567890",
			[]verdict.SignalKind{verdict.SignalOffPlatformContact, verdict.SignalOffPlatformPayment}},
		{"app file", "📦 ini aplikasi lacak paketnya kak, install dulu: Lacak_Paket.apk",
			[]verdict.SignalKind{verdict.SignalAPKFile}},
		{"safety advice", "Jangan kasih kode OTP ke siapa pun ya kak, bayar lewat virtual account Blibli aja 👍", nil},
	} {
		body, _ := json.Marshal(map[string]string{"text": tc.msg})
		status, out := api.call(t, g.Internal(), http.MethodPost, "/api/v1/rewrite", string(body), "application/json", apiToken)
		var m click.RewrittenMessage
		if status != http.StatusOK || json.Unmarshal(out, &m) != nil {
			t.Fatalf("%s: %d %s", tc.name, status, out)
		}
		if !strings.Contains(string(out), `"signals":[`) {
			t.Errorf("%s: the answer has no signals list: %s", tc.name, out)
		}
		got := slices.Compact(slices.Clone(kinds(m)))
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: signals %v, want %v (%+v)", tc.name, kinds(m), tc.want, m.Signals)
		}
		checkSpans(t, tc.msg, m)
		for _, s := range m.Signals {
			if s.Hint != hints[s.Kind] || s.Hint.Title == "" || s.Hint.Text == "" {
				t.Errorf("%s: %s has the hint %+v, want %+v", tc.name, s.Kind, s.Hint, hints[s.Kind])
			}
		}
		for _, l := range m.Links {
			href, err := url.Parse(l.Href)
			if err != nil {
				t.Fatal(err)
			}
			if c := href.Query().Get("c"); c != verdict.FormatSignalContext(tc.want) {
				t.Errorf("%s: link %q carries the context %q, want %q", tc.name, l.Text, c, verdict.FormatSignalContext(tc.want))
			}
		}
	}
}

func TestRewriteAPIHintsAreTheTemplates(t *testing.T) {
	hints := embeddedHints(t)
	for _, k := range verdict.SignalKinds {
		h := hints[k]
		if h.Title == "" || h.Text == "" || strings.ContainsAny(h.Title+h.Text, "<>{}\n") || strings.Contains(h.Text, "  ") {
			t.Errorf("%s: hint %+v is not one line of plain text", k, h)
		}
	}
	advice := hints[verdict.SignalCredentialRequest].Text
	for _, want := range []string{"Blibli tidak pernah meminta kode OTP", "0804 1 871 871", "customer.care@blibli.com"} {
		if !strings.Contains(advice, want) {
			t.Errorf("the credential-request hint %q does not say %q", advice, want)
		}
	}
	if !strings.Contains(hints[verdict.SignalOffPlatformPayment].Text, "virtual account Blibli") {
		t.Errorf("the off-platform-payment hint does not name the virtual account: %q", hints[verdict.SignalOffPlatformPayment].Text)
	}
}

func TestRewriteAPIBatchKeepsEachMessagesSignals(t *testing.T) {
	api := loadOpenAPI(t)
	g := rewriteGateway(t, false, 600)
	msgs := []string{
		"kak kirim kode OTP yang masuk ya, terus buka toko-sepatu.example/cek",
		"barangnya ready kak, cek toko-sepatu.example/cek 😊",
		"ini kodenya kak: 482913",
	}
	body, _ := json.Marshal(map[string][]string{"messages": msgs})
	status, out := api.call(t, g.Internal(), http.MethodPost, "/api/v1/rewrite", string(body), "application/json", apiToken)
	var many struct{ Messages []click.RewrittenMessage }
	if status != http.StatusOK || json.Unmarshal(out, &many) != nil || len(many.Messages) != len(msgs) {
		t.Fatalf("%d %s", status, out)
	}
	wantKinds := [][]verdict.SignalKind{{verdict.SignalCredentialRequest}, nil, {verdict.SignalSecretShared}}
	for i, m := range many.Messages {
		if got := kinds(m); !slices.Equal(got, wantKinds[i]) {
			t.Errorf("message %d: signals %v, want %v", i, got, wantKinds[i])
		}
		checkSpans(t, msgs[i], m)
	}
	first, second := many.Messages[0].Links[0], many.Messages[1].Links[0]
	if !slices.Contains(first.Verdict.Reasons, string(verdict.ReasonSuspiciousMessage)) {
		t.Errorf("the link of the OTP request has the reasons %v", first.Verdict.Reasons)
	}
	if slices.Contains(second.Verdict.Reasons, string(verdict.ReasonSuspiciousMessage)) || strings.Contains(second.Href, "&c=") {
		t.Errorf("the link of a plain message carries a context: %s %v", second.Href, second.Verdict.Reasons)
	}
}

// TestLinkInSuspiciousMessage follows a link of an OTP request to /go:
// it warns with suspicious-message and names the danger; the same link
// with its context dropped, changed or added is tampered.
func TestLinkInSuspiciousMessage(t *testing.T) {
	g := rewriteGateway(t, false, 600)
	m := rewriteOne(t, g, "Kak, tolong kirim kode OTP yang barusan masuk ya. Ini linknya toko-sepatu.example/verifikasi, kalau resmi www.blibli.com/promo")
	if len(m.Links) != 2 {
		t.Fatalf("links: %+v", m.Links)
	}
	external, official := m.Links[0], m.Links[1]
	if !slices.Contains(external.Verdict.Reasons, string(verdict.ReasonSuspiciousMessage)) || official.Verdict.Action != verdict.Redirect {
		t.Errorf("verdicts in the answer: %+v and %+v", external.Verdict, official.Verdict)
	}
	query := func(href string) url.Values {
		u, err := url.Parse(href)
		if err != nil {
			t.Fatal(err)
		}
		return u.Query()
	}
	q := query(external.Href)
	if q.Get("c") != string(verdict.SignalCredentialRequest) {
		t.Fatalf("context %q in %s", q.Get("c"), external.Href)
	}
	r := do(t, g.Public(), http.MethodGet, "/go?"+q.Encode())
	if r.status != http.StatusOK || !strings.Contains(r.body, "reason-suspicious-message") || !strings.Contains(r.body, "signal-credential-request") ||
		!strings.Contains(r.body, "meminta data rahasia") || strings.Contains(r.body, "reason-tampered") {
		t.Errorf("the link of the OTP request at /go: %d\n%.3000s", r.status, r.body)
	}
	if r := do(t, g.Public(), http.MethodGet, "/go?"+query(official.Href).Encode()); r.status != http.StatusFound {
		t.Errorf("the official link of the same message: %d", r.status)
	}
	forged := map[string]func(url.Values){
		"context dropped": func(v url.Values) { v.Del("c") },
		"context changed": func(v url.Values) { v.Set("c", string(verdict.SignalAPKFile)) },
		"context emptied": func(v url.Values) { v.Set("c", "") },
		"context widened": func(v url.Values) { v.Set("c", "credential-request.apk-file") },
	}
	for name, change := range forged {
		v := query(external.Href)
		change(v)
		if r := do(t, g.Public(), http.MethodGet, "/go?"+v.Encode()); r.status != http.StatusOK || !strings.Contains(r.body, "reason-tampered") {
			t.Errorf("%s: %d without the tampered reason", name, r.status)
		}
	}
	plain := query(rewriteOne(t, g, "cek toko-sepatu.example/verifikasi ya kak").Links[0].Href)
	plain.Set("c", string(verdict.SignalCredentialRequest))
	if r := do(t, g.Public(), http.MethodGet, "/go?"+plain.Encode()); !strings.Contains(r.body, "reason-tampered") {
		t.Errorf("a context added to a link signed without one: %d without the tampered reason", r.status)
	}
	if r := do(t, g.Public(), http.MethodGet, "/go?"+query(official.Href).Encode()+"&c=apk-file"); r.status == http.StatusFound {
		t.Errorf("an official link with a second c= redirects")
	}
}

func TestAPKDownloadAtTheClick(t *testing.T) {
	h := newGateway(t, gateway.Config{}).Public()
	r := do(t, h, http.MethodGet, goURL("https://kurir-cepat.example/dl/Lacak_Paket.pdf.APK"))
	if r.status != http.StatusOK || !strings.Contains(r.body, "reason-apk-download") || !strings.Contains(r.body, "SMS") {
		t.Errorf("an app file off Blibli: %d\n%.2000s", r.status, r.body)
	}
	if r := do(t, h, http.MethodGet, goURL("https://www.blibli.com/app/blibli.apk")); r.status != http.StatusFound {
		t.Errorf("an app file on an official host: %d", r.status)
	}
}

// TestSignalsAreCountedAndRecordedWithoutTheText checks the metric of
// signals by kind and the events: a message event with the kinds, and the
// decision event of a link from that message, neither with the text.
func TestSignalsAreCountedAndRecordedWithoutTheText(t *testing.T) {
	keys, rw := signedRewriter(t)
	sink := events.NewMemorySink(0)
	queue := events.NewQueue(sink, events.QueueOptions{FlushEvery: 5 * time.Millisecond})
	defer queue.Close(context.Background())
	g := newGateway(t, gateway.Config{
		Clicks:    click.Service{Signatures: keys},
		Shared:    gateway.Shared{Events: queue, EventReader: sink},
		APITokens: mustTokens(apiName + ":" + apiToken),
		Rewriter:  rw,
	})
	const secretWord = "Zebracadabra"
	m := rewriteOne(t, g, "Kak "+secretWord+", tolong kirim kode OTP yang masuk ya, cek toko-sepatu.example/verifikasi")
	rewriteOne(t, g, "barangnya ready kak "+secretWord)
	u, err := url.Parse(m.Links[0].Href)
	if err != nil {
		t.Fatal(err)
	}
	do(t, g.Public(), http.MethodGet, "/go?"+u.RawQuery)

	want := []verdict.SignalKind{verdict.SignalCredentialRequest}
	var messages, decisions []events.Event
	deadline := time.Now().Add(5 * time.Second)
	for len(messages) == 0 || len(decisions) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("events not written: %d messages, %d decisions", len(messages), len(decisions))
		}
		time.Sleep(5 * time.Millisecond)
		messages, _ = sink.Recent(context.Background(), events.KindMessage, time.Time{}, 10)
		decisions, _ = sink.Recent(context.Background(), events.KindDecision, time.Time{}, 10)
	}
	if len(messages) != 1 || !slices.Equal(messages[0].Signals, want) {
		t.Errorf("message events %+v, want one with %v", messages, want)
	}
	if !slices.Equal(decisions[0].Signals, want) || !slices.Contains(decisions[0].Reasons, string(verdict.ReasonSuspiciousMessage)) {
		t.Errorf("decision event %+v", decisions[0])
	}
	for _, e := range append(messages, decisions...) {
		if b, _ := json.Marshal(e); strings.Contains(strings.ToLower(string(b)), strings.ToLower(secretWord)) || strings.Contains(string(b), "OTP") {
			t.Errorf("an event holds the message's words: %s", b)
		}
	}
	metrics := do(t, g.Internal(), http.MethodGet, "/metrics").body
	if !strings.Contains(metrics, `safelink_signals_total{kind="credential-request"} 1`) {
		t.Errorf("metrics lack the signal count:\n%s", grepLines(metrics, "safelink_signals"))
	}
}

// grepLines returns the lines of s that contain substr.
func grepLines(s, substr string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
