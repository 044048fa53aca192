package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"

	"github.com/blibli/safelink/internal/fakewebrisk"
)

// gatewayWebRiskKey is recognizable, so that the test can search every
// output for it.
const gatewayWebRiskKey = "gw-webrisk-key-5e4d3c2b1a"

// The gateway with Web Risk as its one threat source, against the fake
// server through the official client: each list gives its page, the
// extended list alone a warning, /readyz and /metrics describe the lists,
// and the key appears in no log line, /readyz body, metric or page.
func TestWebRiskInTheProcess(t *testing.T) {
	fake, err := fakewebrisk.New(fakewebrisk.Config{
		Threats: []fakewebrisk.Entry{
			{Type: webriskpb.ThreatType_MALWARE, Expression: "malware.example/"},
			{Type: webriskpb.ThreatType_MALWARE, Expression: "untapped.example/"},
			{Type: webriskpb.ThreatType_SOCIAL_ENGINEERING, Expression: "evil.blibli.com/"},
			{Type: webriskpb.ThreatType_UNWANTED_SOFTWARE, Expression: "unwanted.example/"},
			{Type: webriskpb.ThreatType_SOCIAL_ENGINEERING_EXTENDED_COVERAGE, Expression: "maybe-phishing.example/"},
		},
		NextDiff: time.Second, CacheDuration: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Stop)
	p := startGateway(t, "-webrisk-api-key", gatewayWebRiskKey, "-webrisk-endpoint", "http://"+fake.Addr(),
		"-webrisk-lists", "malware,social-engineering,unwanted-software,social-engineering-extended", "-log-format", "json")
	p.waitReady(t, 10*time.Second, "with Web Risk ready", func(body map[string]any) bool {
		wr, _ := body["webrisk"].(map[string]any)
		return wr["state"] == "ready"
	})
	pages := []struct {
		link   string
		status int
		want   []string
	}{
		{"https://malware.example/unduh", http.StatusForbidden, []string{`class="threat-malware"`, "Google Web Risk", "Advisory provided by Google"}},
		{"https://evil.blibli.com/login", http.StatusForbidden, []string{`class="threat-social-engineering"`, "Google Web Risk"}},
		{"http://unwanted.example/", http.StatusForbidden, []string{`class="threat-unwanted-software"`}},
		{"https://maybe-phishing.example/hadiah", http.StatusOK, []string{`class="reason-suspected"`, "Google Web Risk"}},
		{"https://toko-sepatu.example/", http.StatusOK, []string{`class="reason-external"`}},
	}
	for _, pg := range pages {
		status, body := p.get(t, goLink(pg.link))
		if status != pg.status {
			t.Errorf("%s: %d, want %d", pg.link, status, pg.status)
		}
		for _, w := range pg.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page lacks %q", pg.link, w)
			}
		}
		if strings.Contains(body, "reason-unverified") || strings.Contains(body, gatewayWebRiskKey) {
			t.Errorf("%s: unverified, or the key, on the page", pg.link)
		}
	}
	if status, _ := p.get(t, goLink("https://www.blibli.com/")); status != http.StatusFound {
		t.Errorf("an official link: %d, want 302", status)
	}
	if got := p.metric(t, `safelink_threat_list_entries{list="malware",source="webrisk"}`); got != 2 {
		t.Errorf("malware entries in /metrics: %v, want 2", got)
	}
	if got := p.metric(t, `safelink_threat_full_hash_calls_total{source="webrisk"}`); got < 4 {
		t.Errorf("full-hash calls in /metrics: %v, want at least 4", got)
	}

	// Now the server fails: a listed prefix not confirmed yet gives the
	// unverified warning, even on an official host, and the key still
	// appears nowhere. A full hash confirmed before stays listed until its
	// expiry.
	fake.SetFailure(fakewebrisk.FailureUnavailable)
	time.Sleep(2500 * time.Millisecond)
	status, body := p.get(t, goLink("https://untapped.example/"))
	if status != http.StatusOK || !strings.Contains(body, "reason-unverified") {
		t.Errorf("an unconfirmed listed link with the server down: %d, want the unverified warning", status)
	}
	if status, _ := p.get(t, goLink("https://malware.example/lain")); status != http.StatusForbidden {
		t.Errorf("a link confirmed before the server failed: %d, want 403", status)
	}
	var outputs []string
	for _, path := range []string{"/readyz", "/metrics"} {
		resp, err := http.Get("http://" + p.internal + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		outputs = append(outputs, string(b))
	}
	p.cmd.Process.Kill()
	for entry := range p.logs {
		b, _ := json.Marshal(entry)
		outputs = append(outputs, string(b))
	}
	for _, out := range outputs {
		if strings.Contains(out, gatewayWebRiskKey) {
			t.Errorf("the key appears in %.300s", out)
		}
	}
}
