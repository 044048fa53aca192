package main

import (
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/redact"
	"github.com/blibli/safelink/internal/redistest"
)

// A secret that a client library quotes in its errors reaches neither a
// log line nor the internal /readyz. Here Redis itself quotes it: with
// AUTH and HELLO renamed away, it answers go-redis's AUTH with "unknown
// command 'auth', with args beginning with: '<password>'".
func TestLibraryErrorsLoseTheirSecrets(t *testing.T) {
	rs := redistest.Start(t, "--rename-command", "AUTH", "", "--rename-command", "HELLO", "")
	const password = "redis-pass/9f8e+7d"
	redisURL := "redis://:" + url.PathEscape(password) + "@" + rs.Addr()
	p := startGateway(t, "-redis-url", redisURL, "-token-key", testTokenKey, "-admin-tokens", testAdminTokens, "-log-format", "json")
	p.waitReady(t, 5*time.Second, "failing on Redis's answer", func(body map[string]any) bool {
		r, _ := body["rules"].(map[string]any)
		return r["error"] != nil
	})
	resp, err := noRedirects.Get("http://" + p.internal + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	status, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(status), "9f8e") || !strings.Contains(string(status), "unknown command") || !strings.Contains(string(status), redact.Redacted) {
		t.Errorf("/readyz does not show Redis's error with the password redacted:\n%s", status)
	}
	// An admin call logs the rate limiter's and the rule store's errors.
	p.addRule(t, map[string]string{"match": "domain", "value": "penipu-promo.com", "action": "block", "reason": "uji", "created_by": "test"})
	p.cmd.Process.Kill()
	redacted := 0
	for entry := range p.logs {
		line, _ := json.Marshal(entry)
		if strings.Contains(string(line), "9f8e") {
			t.Errorf("a log line holds the password: %s", line)
		}
		if strings.Contains(string(line), redact.Redacted) {
			redacted++
		}
	}
	if redacted == 0 {
		t.Error("no log line showed Redis's error with the password redacted")
	}
}

// Every secret setting of serve is among the secrets the logger and
// /readyz take out.
func TestServeKnowsEverySecret(t *testing.T) {
	var f serveFlags
	f.sb.apiKey = "sb-key-0123456789"
	f.wr.apiKey = "wr-key-0123456789"
	f.tokenKey = testTokenKey
	f.eventSalt = "event-salt-0123456789"
	f.redisURL = "redis://:redis%2Fpass@127.0.0.1:1/0?sentinel_password=sentinel-pass&master_name=m"
	f.adminTokens = "alice:admin-token-0123456789, admin-token-legacy-0123"
	f.apiTokens = "chat:api-token-0123456789"
	f.signingFlags.keys = "k1:c2lnbmluZy1rZXktb25lLTAxMjM0NTY3ODk=,k0:b2xkLXNpZ25pbmcta2V5LTAxMjM0NTY3ODk="
	f.expandFlags.proxy = "http://squid:proxy-pass-0123@proxy.internal:3128"
	secrets := f.secrets()
	for _, secret := range []string{
		"sb-key-0123456789", "wr-key-0123456789", testTokenKey, "event-salt-0123456789",
		"redis/pass", "redis%2Fpass", "sentinel-pass",
		"admin-token-0123456789", "admin-token-legacy-0123", "api-token-0123456789",
		"c2lnbmluZy1rZXktb25lLTAxMjM0NTY3ODk=", "b2xkLXNpZ25pbmcta2V5LTAxMjM0NTY3ODk=", "proxy-pass-0123",
	} {
		if got := secrets.String("x " + secret + " x"); got != "x "+redact.Redacted+" x" {
			t.Errorf("%q is not taken out: %q", secret, got)
		}
	}
}
