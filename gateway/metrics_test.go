package gateway_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/blibli/safelink/gateway"
)

// Responses are counted by route pattern, never by the path asked for: a
// client asking for a thousand made-up paths, or /go with a link, adds no
// series and shows nothing it sent.
func TestResponseLabelsStayBounded(t *testing.T) {
	g := newGateway(t, gateway.Config{})
	for i := range 1000 {
		do(t, g.Public(), []string{http.MethodGet, http.MethodPost, http.MethodDelete}[i%3], fmt.Sprintf("/made-up-%d?token=secret-%d", i, i))
	}
	do(t, g.Public(), http.MethodGet, goURL("https://toko-rahasia.example/kode-otp"))
	var series []string
	for line := range strings.Lines(do(t, g.Internal(), http.MethodGet, "/metrics").body) {
		if strings.HasPrefix(line, "safelink_responses_total{") {
			series = append(series, line)
		}
	}
	if len(series) > 4 {
		t.Errorf("%d series of responses after a thousand made-up paths:\n%s", len(series), strings.Join(series, ""))
	}
	for _, s := range series {
		if strings.Contains(s, "made-up") || strings.Contains(s, "secret") || strings.Contains(s, "toko-rahasia") {
			t.Errorf("a response series shows what the client sent: %s", s)
		}
	}
	if !strings.Contains(strings.Join(series, ""), `safelink_responses_total{code="200",route="/go"} 1`) {
		t.Errorf("the warning of /go is not counted:\n%s", strings.Join(series, ""))
	}
}
