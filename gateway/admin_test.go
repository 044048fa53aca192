package gateway_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/gateway/verdict"
)

// brokenRules is a rule store that cannot answer, as Redis when it is down.
type brokenRules struct{ rules.Store }

var errDown = errors.New("connection refused")

func (brokenRules) List(context.Context) (rules.Snapshot, error)        { return rules.Snapshot{}, errDown }
func (brokenRules) Add(context.Context, rules.Rule) (rules.Rule, error) { return rules.Rule{}, errDown }
func (brokenRules) Remove(context.Context, string, rules.Removal) (rules.Rule, error) {
	return rules.Rule{}, errDown
}
func (brokenRules) Audit(context.Context, int) ([]rules.Change, error) { return nil, errDown }

// brokenEvents is an event store that cannot answer.
type brokenEvents struct{}

func (brokenEvents) Recent(context.Context, events.Kind, time.Time, int) ([]events.Event, error) {
	return nil, errDown
}

// brokenMinutes is a store of per-minute counts that cannot answer.
type brokenMinutes struct{}

func (brokenMinutes) Read(context.Context, time.Duration, time.Time, time.Time) ([]series.Bucket, error) {
	return nil, errDown
}

// adminCall is one call of the admin API and the answer it must get.
type adminCall struct {
	name         string
	h            http.Handler
	method, path string
	body         string // sent as JSON unless contentType says otherwise
	contentType  string
	bearer       string
	status       int
	says         string // in the answer
}

// Every answer of every admin endpoint, success and error, matches
// api/openapi.yaml.
func TestAdminAPIMatchesOpenAPI(t *testing.T) {
	api := loadOpenAPI(t)
	s := newSharedGateway(t, 100)
	h := s.Internal()
	r1 := s.addRule(t, rules.Rule{Match: rules.MatchDomain, Value: "promo-palsu.com", Action: verdict.RuleBlock, Reason: "phishing", Author: "alice"})
	r2 := s.addRule(t, rules.Rule{Match: rules.MatchURLPrefix, Value: "https://sites.example/toko/", Action: verdict.RuleWarn, Reason: "penipuan", Author: "alice"})
	for _, e := range []events.Event{
		{Kind: events.KindDecision, Time: time.Now(), Action: "warn", Reasons: []string{"external", "shortener"}, Site: "bit.ly"},
		{Kind: events.KindContinue, Time: time.Now(), Action: "warn", Reasons: []string{"external", "shortener"}, Site: "bit.ly"},
		{Kind: events.KindReport, Time: time.Now(), Site: "bit.ly", Category: "phishing", Comment: "minta OTP", UserHash: "u1"},
	} {
		s.queue.Enqueue(e)
	}
	s.events(t, events.KindReport)

	empty := newSharedGateway(t, 100).Internal()
	off := newGateway(t, gateway.Config{}).Internal()
	noStores := newGateway(t, gateway.Config{AdminTokens: adminTokens}).Internal()
	broken := newGateway(t, gateway.Config{AdminTokens: adminTokens,
		Shared: gateway.Shared{Rules: brokenRules{}, EventReader: brokenEvents{}, Minutes: brokenMinutes{}}}).Internal()

	const rule = `{"match":"domain","value":"toko-palsu.com","action":"warn","reason":"r","created_by":"bob"`
	author := `"author":"` + adminName + `"`
	huge := `{"by":"` + strings.Repeat("a", 70<<10) + `"}`
	calls := []adminCall{
		{"list", h, "GET", "/admin/v1/rules", "", "", adminToken, 200, r2.ID},
		{"list, none", empty, "GET", "/admin/v1/rules", "", "", adminToken, 200, `"rules":[]`},
		{"add", h, "POST", "/admin/v1/rules", rule + `}`, "", adminToken, 201, `"value":"toko-palsu.com"`},
		{"add, no note", h, "POST", "/admin/v1/rules", `{"match":"host","value":"toko-palsu.com","action":"warn","reason":"r"}`, "", adminToken, 201, author},
		{"add, an author", h, "POST", "/admin/v1/rules", rule + `,"author":"alice"}`, "", adminToken, 400, "set by the gateway"},
		{"add, a two-line note", h, "POST", "/admin/v1/rules", strings.Replace(rule, "bob", `bob\nalice`, 1) + `}`, "", adminToken, 400, "rule created_by"},
		{"add, expires_in", h, "POST", "/admin/v1/rules", rule + `,"expires_in":"7d"}`, "", adminToken, 201, `"expires_at"`},
		{"add, expires_at", h, "POST", "/admin/v1/rules", rule + `,"expires_at":"` + time.Now().Add(time.Hour).Format(time.RFC3339) + `"}`, "", adminToken, 201, `"expires_at"`},
		{"add, zero id and time", h, "POST", "/admin/v1/rules", rule + `,"id":"","created_at":"0001-01-01T00:00:00Z"}`, "", adminToken, 201, `"created_by":"bob"`},
		{"add, bad action", h, "POST", "/admin/v1/rules", strings.Replace(rule, "warn", "explode", 1) + `}`, "", adminToken, 400, "rule action"},
		{"add, bad value", h, "POST", "/admin/v1/rules", strings.Replace(rule, "toko-palsu.com", "github.io", 1) + `}`, "", adminToken, 400, "rule value"},
		{"add, above a public suffix", h, "POST", "/admin/v1/rules", `{"match":"domain","value":"amazonaws.com","action":"allow","reason":"r","created_by":"bob"}`, "", adminToken, 400,
			`rule value: \"amazonaws.com\" sits above the public suffix \"s3.amazonaws.com\", under which anyone can register names`},
		{"add, unknown field", h, "POST", "/admin/v1/rules", rule + `,"colour":"red"}`, "", adminToken, 400, "colour"},
		{"add, both expiries", h, "POST", "/admin/v1/rules", rule + `,"expires_in":"1h","expires_at":"2099-01-01T00:00:00Z"}`, "", adminToken, 400, "not both"},
		{"add, bad expires_in", h, "POST", "/admin/v1/rules", rule + `,"expires_in":"soon"}`, "", adminToken, 400, "expires_in"},
		{"add, past expires_at", h, "POST", "/admin/v1/rules", rule + `,"expires_at":"2001-01-01T00:00:00Z"}`, "", adminToken, 400, "expires_at"},
		{"add, id", h, "POST", "/admin/v1/rules", rule + `,"id":"x"}`, "", adminToken, 400, "set by the gateway"},
		{"add, broken JSON", h, "POST", "/admin/v1/rules", rule, "", adminToken, 400, "bad JSON"},
		{"add, two values", h, "POST", "/admin/v1/rules", rule + `}{}`, "", adminToken, 400, "more than one"},
		{"add, huge", h, "POST", "/admin/v1/rules", huge, "", adminToken, 413, "larger than"},
		{"add, not JSON", h, "POST", "/admin/v1/rules", rule + `}`, "text/plain", adminToken, 415, "JSON"},
		{"remove, body", h, "DELETE", "/admin/v1/rules/" + r1.ID, `{"by":"bob","why":"selesai"}`, "", adminToken, 200, r1.ID},
		{"remove, query", h, "DELETE", "/admin/v1/rules/" + r2.ID + "?by=bob&why=selesai", "", "", adminToken, 200, r2.ID},
		{"remove, unknown", h, "DELETE", "/admin/v1/rules/" + r1.ID + "?by=bob&why=lagi", "", "", adminToken, 404, "no rule"},
		{"remove, no why", h, "DELETE", "/admin/v1/rules/x", `{"by":"bob"}`, "", adminToken, 400, "rule why"},
		{"remove, no by", h, "DELETE", "/admin/v1/rules/x?why=w", "", "", adminToken, 404, "no rule"},
		{"remove, control character in by", h, "DELETE", "/admin/v1/rules/x", `{"by":"bob\u001b[2J","why":"w"}`, "", adminToken, 400, "rule by"},
		{"remove, two lines", h, "DELETE", "/admin/v1/rules/x", `{"by":"bob","why":"a\nb"}`, "", adminToken, 400, "one line"},
		{"remove, unknown field", h, "DELETE", "/admin/v1/rules/x", `{"by":"bob","why":"w","when":"now"}`, "", adminToken, 400, "when"},
		{"remove, huge", h, "DELETE", "/admin/v1/rules/x", huge, "", adminToken, 413, "larger than"},
		{"remove, not JSON", h, "DELETE", "/admin/v1/rules/x", "by=bob", "application/x-www-form-urlencoded", adminToken, 415, "JSON"},
		{"audit", h, "GET", "/admin/v1/audit?limit=3", "", "", adminToken, 200, `"op":"remove"`},
		{"audit, author", h, "GET", "/admin/v1/audit?limit=1", "", "", adminToken, 200, author},
		{"audit, none", empty, "GET", "/admin/v1/audit", "", "", adminToken, 200, `"changes":[]`},
		{"audit, limit 0", h, "GET", "/admin/v1/audit?limit=0", "", "", adminToken, 400, "limit"},
		{"audit, limit not a number", h, "GET", "/admin/v1/audit?limit=ten", "", "", adminToken, 400, "limit"},
		{"stats", h, "GET", "/admin/v1/stats?since=1h&top=5", "", "", adminToken, 200, `"comment":"minta OTP"`},
		{"stats, none", empty, "GET", "/admin/v1/stats", "", "", adminToken, 200, `"Decisions":0`},
		{"stats, bad since", h, "GET", "/admin/v1/stats?since=soon", "", "", adminToken, 400, "since"},
		{"stats, negative since", h, "GET", "/admin/v1/stats?since=-1h", "", "", adminToken, 400, "since"},
		{"stats, top 0", h, "GET", "/admin/v1/stats?top=0", "", "", adminToken, 400, "top"},
		{"stats, top too large", h, "GET", "/admin/v1/stats?top=1001", "", "", adminToken, 400, "top"},
	}
	endpoints := []struct{ method, path, body string }{
		{"GET", "/admin/v1/rules", ""},
		{"POST", "/admin/v1/rules", rule + `}`},
		{"DELETE", "/admin/v1/rules/x", `{"by":"bob","why":"w"}`},
		{"GET", "/admin/v1/audit", ""},
		{"GET", "/admin/v1/stats", ""},
	}
	for _, e := range endpoints {
		name := e.method + " " + e.path
		// One call a minute of the token, one of a client without a token.
		limited := newSharedGatewayLimits(t, 100, 1, 1).Internal()
		adminRequest(t, limited, http.MethodGet, "/admin/v1/rules", "", adminToken)
		adminRequest(t, limited, http.MethodGet, "/admin/v1/rules", "", "")
		calls = append(calls,
			adminCall{name + ", no token", h, e.method, e.path, e.body, "", "", 401, "bearer token"},
			adminCall{name + ", wrong token", h, e.method, e.path, e.body, "", "wrong-" + adminToken, 401, "bearer token"},
			adminCall{name + ", API off", off, e.method, e.path, e.body, "", adminToken, 503, "SAFELINK_ADMIN_TOKENS"},
			adminCall{name + ", no store", noStores, e.method, e.path, e.body, "", adminToken, 503, "store is configured"},
			adminCall{name + ", store down", broken, e.method, e.path, e.body, "", adminToken, 503, "unavailable"},
			adminCall{name + ", past the limit", limited, e.method, e.path, e.body, "", adminToken, 429, "too many requests"},
			adminCall{name + ", wrong token past the limit", limited, e.method, e.path, e.body, "", "wrong-" + adminToken, 429, "too many requests"},
		)
	}
	for _, c := range calls {
		contentType := c.contentType
		if contentType == "" && c.body != "" {
			contentType = "application/json"
		}
		status, out := api.call(t, c.h, c.method, c.path, c.body, contentType, c.bearer)
		if status != c.status || !strings.Contains(string(out), c.says) {
			t.Errorf("%s: %d %.300s; want %d with %q", c.name, status, out, c.status, c.says)
		}
	}
}

// The profiler is off unless configured, and then only for admin tokens;
// the command line, which may hold secrets, is never served.
func TestProfilerIsOffByDefault(t *testing.T) {
	get := func(h http.Handler, path, token string) int {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	off := newGateway(t, gateway.Config{AdminTokens: adminTokens}).Internal()
	on := newGateway(t, gateway.Config{AdminTokens: adminTokens, Profiling: true}).Internal()
	for _, tc := range []struct {
		h     http.Handler
		path  string
		token string
		want  int
	}{
		{off, "/debug/pprof/", adminToken, http.StatusNotFound},
		{off, "/debug/pprof/heap", adminToken, http.StatusNotFound},
		{on, "/debug/pprof/", "", http.StatusUnauthorized},
		{on, "/debug/pprof/heap", "wrong-token-0123456789", http.StatusUnauthorized},
		{on, "/debug/pprof/", adminToken, http.StatusOK},
		{on, "/debug/pprof/heap", adminToken, http.StatusOK},
		{on, "/debug/pprof/cmdline", adminToken, http.StatusNotFound},
	} {
		if got := get(tc.h, tc.path, tc.token); got != tc.want {
			t.Errorf("GET %s (profiling %v, token %q): %d, want %d", tc.path, tc.h == on, tc.token, got, tc.want)
		}
	}
}
