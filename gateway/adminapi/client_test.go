package adminapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/adminapi"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

const token = "client-test-token-0123456789"

func newClient(t *testing.T, baseURL string) *adminapi.Client {
	t.Helper()
	c, err := adminapi.NewClient(baseURL, token, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewClientRefusesBadSettings(t *testing.T) {
	tests := []struct {
		url, token string
		timeout    time.Duration
		says       string
	}{
		{"127.0.0.1:8081", token, time.Second, "admin URL: first path segment"},
		{"localhost:8081", token, time.Second, "scheme"},
		{"http://admin:" + token + "@[::1", token, time.Second, "admin URL"},
		{"ftp://admin:" + token + "@127.0.0.1:8081/", token, time.Second, "scheme"},
		{"ftp://127.0.0.1:8081", token, time.Second, "scheme"},
		{"http://", token, time.Second, "no host"},
		{"http://[::1", token, time.Second, "admin URL"},
		{"http://admin:" + token + "@127.0.0.1:8081", token, time.Second, "user name or password"},
		{"http://127.0.0.1:8081/?x=1", token, time.Second, "query"},
		{"http://127.0.0.1:8081/#x", token, time.Second, "fragment"},
		{"http://127.0.0.1:8081", "", time.Second, "SAFELINK_ADMIN_TOKENS"},
		{"http://127.0.0.1:8081", token, 0, "timeout"},
	}
	for _, tt := range tests {
		_, err := adminapi.NewClient(tt.url, tt.token, tt.timeout)
		if err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("NewClient(%q, %q, %v): %v; want an error about %s", tt.url, tt.token, tt.timeout, err, tt.says)
		}
		if err != nil && strings.Contains(err.Error(), token) {
			t.Errorf("NewClient(%q): the error shows the token: %v", tt.url, err)
		}
	}
}

// request is what a fake API saw of one request.
type request struct {
	method, path, query, contentType, auth, body string
}

// Each method sends its request, with the token, the query and the JSON
// body the API expects, under a base URL with or without a path.
func TestClientSendsEachRequest(t *testing.T) {
	var got request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got = request{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("Content-Type"), r.Header.Get("Authorization"), string(body)}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c *adminapi.Client) error
		want request
	}{
		{"rules", func(c *adminapi.Client) error { _, err := c.Rules(ctx); return err },
			request{method: "GET", path: "/admin/v1/rules"}},
		{"add", func(c *adminapi.Client) error {
			_, err := c.AddRule(ctx, adminapi.RuleRequest{Rule: rules.Rule{Match: rules.MatchDomain, Value: "x.example", Action: verdict.RuleBlock, Reason: "r", CreatedBy: "a"}, ExpiresIn: "24h"})
			return err
		}, request{method: "POST", path: "/admin/v1/rules", contentType: "application/json",
			body: `{"id":"","match":"domain","value":"x.example","action":"block","reason":"r","created_by":"a","created_at":"0001-01-01T00:00:00Z","expires_in":"24h"}`}},
		{"remove", func(c *adminapi.Client) error {
			_, err := c.RemoveRule(ctx, "0123abcd", adminapi.Removal{By: "bob", Why: "selesai"})
			return err
		}, request{method: "DELETE", path: "/admin/v1/rules/0123abcd", contentType: "application/json", body: `{"by":"bob","why":"selesai"}`}},
		{"remove an ID that is a path", func(c *adminapi.Client) error {
			_, err := c.RemoveRule(ctx, "../audit?limit=1#x", adminapi.Removal{By: "bob", Why: "w"})
			return err
		}, request{method: "DELETE", path: "/admin/v1/rules/..%2Faudit%3Flimit=1%23x", contentType: "application/json", body: `{"by":"bob","why":"w"}`}},
		{"audit", func(c *adminapi.Client) error { _, err := c.Audit(ctx, 7); return err },
			request{method: "GET", path: "/admin/v1/audit", query: "limit=7"}},
		{"audit, the gateway's limit", func(c *adminapi.Client) error { _, err := c.Audit(ctx, 0); return err },
			request{method: "GET", path: "/admin/v1/audit"}},
		{"stats", func(c *adminapi.Client) error { _, err := c.Stats(ctx, 90*time.Minute, 3); return err },
			request{method: "GET", path: "/admin/v1/stats", query: "since=1h30m0s&top=3"}},
		{"stats, the gateway's defaults", func(c *adminapi.Client) error { _, err := c.Stats(ctx, 0, 0); return err },
			request{method: "GET", path: "/admin/v1/stats"}},
	}
	for _, base := range []string{srv.URL, srv.URL + "/", srv.URL + "/safelink"} {
		prefix := strings.TrimSuffix(strings.TrimPrefix(base, srv.URL), "/")
		for _, tt := range tests {
			got = request{}
			if err := tt.call(newClient(t, base)); err != nil {
				t.Errorf("%s at %s: %v", tt.name, base, err)
			}
			want := tt.want
			want.path, want.auth = prefix+want.path, "Bearer "+token
			if got != want {
				t.Errorf("%s at %s: sent %+v\nwant %+v", tt.name, base, got, want)
			}
		}
	}
	if _, err := newClient(t, srv.URL).RemoveRule(ctx, "", adminapi.Removal{By: "b", Why: "w"}); err == nil {
		t.Error("RemoveRule with no ID sent a request")
	}
}

// Whatever the other end answers, the client returns an error that says
// what was wrong, on one line, without the token.
func TestClientErrors(t *testing.T) {
	redirected := false
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { redirected = true }))
	defer target.Close()
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		header      map[string]string
		wantStatus  int // of the *StatusError; 0: another error
		says        string
	}{
		{"API error", 404, "application/json", `{"error":"no rule \"x\""}`, nil, 404, `404 Not Found: no rule "x"`},
		{"proxy page", 502, "text/html", `<html>bad gateway</html>`, nil, 502, `502 Bad Gateway: the answer is not the API's JSON error ("text/html", 24 bytes)`},
		{"empty error", 500, "", ``, nil, 500, "no Content-Type"},
		{"JSON without a message", 400, "application/json", `{"error":""}`, nil, 400, "not the API's JSON error"},
		{"unknown status", 599, "application/json", `{"error":"odd"}`, nil, 599, "599: odd"},
		{"redirect", 302, "", ``, map[string]string{"Location": target.URL + "/admin/v1/rules"}, 302, "a redirect to"},
		{"token echoed", 401, "application/json", `{"error":"unknown token ` + token + `"}`, nil, 401, "unknown token [token]"},
		{"control characters", 400, "application/json", `{"error":"a\u001b[31mred\nline\u202e"}`, nil, 400, "a\uFFFD[31mred\uFFFDline\uFFFD"},
		{"invalid UTF-8", 400, "application/json", "{\"error\":\"a\xffb\"}", nil, 400, "a\uFFFDb"},
		{"long message", 400, "application/json", `{"error":"` + strings.Repeat("é", 2000) + `"}`, nil, 400, strings.Repeat("é", 500) + "…"},
		{"2xx that is not JSON", 200, "text/html", `<html>`, nil, 0, "not the API's JSON"},
		{"2xx that is empty", 200, "application/json", ``, nil, 0, "not the API's JSON"},
		{"huge answer", 200, "application/json", `{"rules":[` + strings.Repeat(" ", adminapi.MaxAnswer) + `]}`, nil, 0, "larger than 16777216 bytes"},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for k, v := range tt.header {
				w.Header().Set(k, v)
			}
			if tt.contentType != "" {
				w.Header().Set("Content-Type", tt.contentType)
			}
			w.WriteHeader(tt.status)
			io.WriteString(w, tt.body)
		}))
		_, err := newClient(t, srv.URL).Rules(context.Background())
		srv.Close()
		var se *adminapi.StatusError
		switch {
		case err == nil:
			t.Errorf("%s: no error", tt.name)
			continue
		case errors.As(err, &se) != (tt.wantStatus != 0) || se != nil && se.Status != tt.wantStatus:
			t.Errorf("%s: %T %v; want status %d", tt.name, err, err, tt.wantStatus)
		case !strings.Contains(err.Error(), tt.says):
			t.Errorf("%s: %q; want %q in it", tt.name, err, tt.says)
		}
		if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "\n") || len(err.Error()) > 2000 {
			t.Errorf("%s: the error is not one short line without the token: %.300q", tt.name, err)
		}
	}
	if redirected {
		t.Error("the client followed a redirect")
	}
}

func TestClientConnectionErrors(t *testing.T) {
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-hang }))
	defer slow.Close()
	defer close(hang)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	quick, err := adminapi.NewClient(slow.URL, token, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	badToken, err := adminapi.NewClient(closed.URL, "line\nbreak-"+token, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		client *adminapi.Client
		ctx    context.Context
		says   string
	}{
		{"no answer within the timeout", quick, context.Background(), "Timeout"},
		{"nobody listening", newClient(t, closed.URL), context.Background(), "connect"},
		{"canceled", newClient(t, slow.URL), canceled, "canceled"},
		{"a token that cannot be a header", badToken, context.Background(), "Authorization"},
	}
	for _, tt := range tests {
		_, err := tt.client.Rules(tt.ctx)
		var se *adminapi.StatusError
		if err == nil || errors.As(err, &se) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: %v; want an error about %s", tt.name, err, tt.says)
		}
		if err != nil && strings.Contains(err.Error(), "break-") {
			t.Errorf("%s: the error shows the token: %v", tt.name, err)
		}
	}
}
