package gateway_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/bearer"
	"github.com/blibli/safelink/gateway/linkify"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/rules"
)

// A second rewrite API token, and the addresses the calls come from.
const (
	moderationToken = "test-moderation-token-0123456789"
	flooder         = "203.0.113.66"
	bystander       = "198.51.100.7"
)

// apiLimits are the limits a minute of a test gateway's APIs.
type apiLimits struct{ api, admin, authFailures int }

// apisGateway is the internal listener of a gateway with both APIs on: the
// rewrite API with the tokens chat and moderation, the admin API with
// secops, and the given limits; it logs to logs.
func apisGateway(t *testing.T, l apiLimits, logs io.Writer) http.Handler {
	t.Helper()
	rw, err := linkify.NewRewriter(publicURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	perMinute := func(n int) ratelimit.Limiter { return ratelimit.NewMemory(ratelimit.PerMinute(n, n), 0) }
	return newGateway(t, gateway.Config{
		Logger: slog.New(slog.NewJSONHandler(logs, nil)),
		Shared: gateway.Shared{
			Rules:    rules.NewMemoryStore(0),
			APILimit: perMinute(l.api), AdminLimit: perMinute(l.admin), AuthFailureLimit: perMinute(l.authFailures),
		},
		APITokens:   mustTokens(apiName + ":" + apiToken + ",moderation:" + moderationToken),
		AdminTokens: adminTokens,
		Rewriter:    rw,
	}).Internal()
}

// callAs calls an API, "api" (a rewrite) or "admin" (a list of the rules),
// from the client address with token (none when empty) and returns the
// status.
func callAs(t *testing.T, h http.Handler, api, client, token string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/admin/v1/rules", nil)
	if api == "api" {
		req = httptest.NewRequest(http.MethodPost, "/api/v1/rewrite", strings.NewReader(`{"text":"cek bit.ly/x"}`))
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.RemoteAddr = client + ":40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// A flood of bad tokens from one client ends in 429 for that client's
// failures alone: a good token, even from the same address, is served,
// and another client's failures have a budget of their own.
func TestBadTokensNeverThrottleAGoodOne(t *testing.T) {
	h := apisGateway(t, apiLimits{api: 5, admin: 5, authFailures: 3}, io.Discard)
	var statuses []int
	for i := 0; i < 100 && (len(statuses) == 0 || statuses[len(statuses)-1] != http.StatusTooManyRequests); i++ {
		statuses = append(statuses, callAs(t, h, "api", flooder, "wrong-api-token-0123456789"))
	}
	if len(statuses) != 4 || statuses[0] != http.StatusUnauthorized || statuses[3] != http.StatusTooManyRequests {
		t.Fatalf("a flood of bad tokens got %v; want 401 three times, then 429", statuses)
	}
	for api, token := range map[string]string{"api": apiToken, "admin": adminToken} {
		if status := callAs(t, h, api, flooder, token); status != http.StatusOK {
			t.Errorf("a good %s token from the flooding address: %d, want 200", api, status)
		}
	}
	if status := callAs(t, h, "admin", flooder, ""); status != http.StatusTooManyRequests {
		t.Errorf("no token from the flooding address: %d, want 429", status)
	}
	if status := callAs(t, h, "admin", bystander, "wrong-admin-token-0123456789"); status != http.StatusUnauthorized {
		t.Errorf("another client's bad token: %d, want 401", status)
	}
}

// Each token has its own budget of calls, and the admin API's budget is
// apart from the rewrite API's.
func TestEachTokenHasItsOwnBudget(t *testing.T) {
	h := apisGateway(t, apiLimits{api: 2, admin: 3, authFailures: 100}, io.Discard)
	calls := []struct {
		api, token string
		want       int
	}{
		{"admin", adminToken, 200}, {"admin", adminToken, 200}, {"admin", adminToken, 200}, {"admin", adminToken, 429}, // admin calls do not eat the API's budget
		{"api", apiToken, 200}, {"api", apiToken, 200}, {"api", apiToken, 429},
		{"api", moderationToken, 200}, {"api", moderationToken, 200}, {"api", moderationToken, 429},
		{"admin", adminToken, 429},
	}
	for i, c := range calls {
		if status := callAs(t, h, c.api, bystander, c.token); status != c.want {
			t.Errorf("call %d: %d, want %d", i+1, status, c.want)
		}
	}
}

// A failed authentication is logged as a warning with the client and the
// fingerprint of the token, never the token; a missing header as such; a
// flood as one line counting the others later, not a line each.
func TestFailedAuthenticationIsLogged(t *testing.T) {
	const wrong = "wrong-Secret-admin-token-0123456789"
	var logs bytes.Buffer
	h := apisGateway(t, apiLimits{api: 100, admin: 100, authFailures: 1000}, &logs)
	req := httptest.NewRequest(http.MethodGet, "/admin/v1/rules", nil)
	req.Header.Set("Authorization", "Bearer "+wrong)
	req.RemoteAddr = flooder + ":40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") != `Bearer realm="safelink admin"` {
		t.Fatalf("a wrong token: %d, WWW-Authenticate %q", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}
	for range 99 {
		callAs(t, h, "admin", flooder, wrong)
	}
	lines := authFailureLines(t, &logs)
	if len(lines) == 0 || len(lines) > 2 {
		t.Fatalf("%d log lines for 100 failed authentications, want one or two", len(lines))
	}
	first := lines[0]
	if first["level"] != "WARN" || first["api"] != "admin" || first["client"] != flooder ||
		first["token_sha256"] != bearer.Fingerprint(wrong) || first["problem"] != "unknown token" {
		t.Errorf("the log line: %v; want a warning with the client and the fingerprint %s", first, bearer.Fingerprint(wrong))
	}
	if strings.Contains(logs.String(), wrong) || strings.Contains(logs.String(), "Secret") {
		t.Errorf("the log shows the token:\n%s", logs.String())
	}

	logs.Reset()
	h = apisGateway(t, apiLimits{api: 100, admin: 100, authFailures: 1000}, &logs)
	callAs(t, h, "api", bystander, "")
	if lines := authFailureLines(t, &logs); len(lines) != 1 || lines[0]["problem"] != "no Authorization header" || lines[0]["token_sha256"] != nil {
		t.Errorf("a call without a token logged %v", lines)
	}
}

// authFailureLines returns the log lines of failed authentications.
func authFailureLines(t *testing.T, logs *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(logs.Bytes()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("a log line is not JSON: %s", sc.Text())
		}
		if line["msg"] == "API authentication failed" {
			lines = append(lines, line)
		}
	}
	return lines
}

// The metrics name the caller of each API by its token's name.
func TestAPIMetricsNameTheCaller(t *testing.T) {
	h := apisGateway(t, apiLimits{api: 100, admin: 100, authFailures: 100}, io.Discard)
	callAs(t, h, "api", bystander, apiToken)
	callAs(t, h, "admin", bystander, adminToken)
	callAs(t, h, "admin", bystander, "wrong-admin-token-0123456789")
	r := do(t, h, http.MethodGet, "/metrics")
	for _, want := range []string{
		`safelink_api_calls_total{api="api",caller="chat"} 1`,
		`safelink_api_calls_total{api="admin",caller="secops"} 1`,
		`safelink_api_auth_failures_total{api="admin"} 1`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// A call past a limit says when to retry, in the header and the body
// alike, in whole seconds: a wait under half a second is 1s, not 0s.
func TestTooManyCallsSayWhenToRetry(t *testing.T) {
	h := newGateway(t, gateway.Config{
		Shared: gateway.Shared{
			Rules:      rules.NewMemoryStore(0),
			AdminLimit: ratelimit.NewMemory(ratelimit.Limit{Every: 500 * time.Millisecond, Burst: 1}, 0),
		},
		AdminTokens: adminTokens,
	}).Internal()
	adminRequest(t, h, http.MethodGet, "/admin/v1/rules", "", adminToken)
	r := adminRequest(t, h, http.MethodGet, "/admin/v1/rules", "", adminToken)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" || !strings.Contains(r.body, "retry in 1s") {
		t.Errorf("a call right after the one allowed: %d, Retry-After %q, %s", r.status, r.header.Get("Retry-After"), r.body)
	}
}
