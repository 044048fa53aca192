package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/blibli/safelink/internal/fakesafebrowsing"
	"github.com/blibli/safelink/internal/redistest"
)

// scrape returns the body of the gateway's /metrics.
func (p *gatewayProcess) scrape(t *testing.T) string {
	t.Helper()
	_, body := fetch(t, "http://"+p.internal+"/metrics")
	return body
}

// metricNames are the names of the series a scrape holds: each family's
// name, with _bucket, _sum and _count for a histogram and _sum and _count
// for a summary.
func metricNames(body string) map[string]bool {
	names := map[string]bool{}
	for line := range strings.Lines(body) {
		fields := strings.Fields(line)
		if len(fields) != 4 || fields[0] != "#" || fields[1] != "TYPE" {
			continue
		}
		names[fields[2]] = true
		switch fields[3] {
		case "histogram":
			names[fields[2]+"_bucket"] = true
			fallthrough
		case "summary":
			names[fields[2]+"_sum"], names[fields[2]+"_count"] = true, true
		}
	}
	return names
}

// A gateway with Redis and a threat source serves the operators' metrics:
// its build, responses by route and status, hits of each rule, the age of
// each source's lists, the lag and write time of events, the per-minute
// counts' writes and whether Redis answers. No secret is in any of them.
// The alert rules and the dashboard use only metrics it serves.
func TestOperatorMetrics(t *testing.T) {
	rs := redistest.Start(t)
	fake := startFakeSafeBrowsing(t, fakesafebrowsing.FailureNone, "listed.example")
	const salt = "metrics-test-event-salt"
	p := startGateway(t, "-redis-url", rs.URL(), "-token-key", testTokenKey, "-admin-tokens", testAdminTokens, "-event-salt", salt,
		"-safebrowsing-api-key", "test-key", "-safebrowsing-url", fake.URL(), "-log-format", "json")
	p.waitReady(t, 10*time.Second, "synced and with loaded lists", func(body map[string]any) bool {
		return rulesSynced(body) && safeBrowsingState(body)["state"] == "ready"
	})
	status, body := p.addRule(t, map[string]string{"match": "domain", "value": "kampanye.com", "action": "block", "reason": "phishing", "created_by": "test"})
	var rule struct{ ID string }
	if err := json.Unmarshal([]byte(body), &rule); status != http.StatusCreated || err != nil {
		t.Fatalf("add rule: %d %s", status, body)
	}
	p.waitReady(t, 5*time.Second, "the rule applied", func(body map[string]any) bool {
		r, _ := body["rules"].(map[string]any)
		return r["count"] == 1.0
	})
	for link, want := range map[string]int{
		"https://promo.kampanye.com/a": http.StatusForbidden, "https://kampanye.com/b": http.StatusForbidden,
		"https://listed.example/": http.StatusForbidden, "https://www.blibli.com/": http.StatusFound,
		"https://toko-sepatu.id/": http.StatusOK, "javascript:alert(1)": http.StatusBadRequest,
	} {
		if got, _ := p.get(t, goLink(link)); got != want {
			t.Fatalf("%s: %d, want %d", link, got, want)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); p.metric(t, "safelink_stats_writes_total") == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no write of the per-minute counts within 10s")
		}
	}

	scraped := p.scrape(t)
	build := regexp.MustCompile(`(?m)^safelink_build_info\{goversion="([^"]+)",revision="[^"]+",version="[^"]+"\} 1$`).FindStringSubmatch(scraped)
	if build == nil || build[1] != runtime.Version() {
		t.Errorf("safelink_build_info with the Go version %s missing: %v", runtime.Version(), build)
	}
	for sample, want := range map[string]float64{
		`safelink_responses_total{code="403",route="/go"}`:             3,
		`safelink_responses_total{code="302",route="/go"}`:             1,
		`safelink_responses_total{code="200",route="/go"}`:             1,
		`safelink_responses_total{code="400",route="/go"}`:             1,
		`safelink_responses_total{code="201",route="/admin/v1/rules"}`: 1,
		`safelink_rule_hits_total{rule="` + rule.ID + `"}`:             2,
		`safelink_threat_source_ready{source="safebrowsing"}`:          1,
		`safelink_redis_up`: 1,
	} {
		if got := p.metric(t, sample); got != want {
			t.Errorf("%s = %v, want %v", sample, got, want)
		}
	}
	if age := p.metric(t, `safelink_threat_source_age_seconds{source="safebrowsing"}`); age < 0 || age > 60 {
		t.Errorf("the Safe Browsing lists are %vs old, want a fresh age", age)
	}
	if lag := p.metric(t, "safelink_event_lag_seconds"); lag < 0 || lag > 5 {
		t.Errorf("event lag %vs", lag)
	}
	if writes, took := p.metric(t, "safelink_event_writes_total"), p.metric(t, "safelink_event_write_seconds_total"); writes < 1 || took <= 0 {
		t.Errorf("event writes %v taking %vs, want some", writes, took)
	}
	for _, secret := range []string{testAdminToken, testTokenKey, salt, "test-key"} {
		if strings.Contains(scraped, secret) {
			t.Errorf("/metrics shows the secret %q", secret)
		}
	}
	checkDeployMetrics(t, metricNames(scraped))

	rs.Stop()
	if up := p.metric(t, "safelink_redis_up"); up != 0 {
		t.Errorf("safelink_redis_up = %v with Redis stopped", up)
	}
}

// deployDir is where the Prometheus rules and the Grafana dashboard are.
var deployDir = filepath.Join("..", "..", "deploy")

// metricName finds the gateway's metric names in a PromQL expression.
var metricName = regexp.MustCompile(`\bsafelink_[a-z0-9_]+\b`)

// checkDeployMetrics checks that every metric the alert rules and the
// dashboard use is one of exported, and that each names at least one.
func checkDeployMetrics(t *testing.T, exported map[string]bool) {
	t.Helper()
	check := func(where, expr string) {
		used := metricName.FindAllString(expr, -1)
		if len(used) == 0 {
			t.Errorf("%s uses no metric of the gateway: %s", where, expr)
		}
		for _, name := range used {
			if !exported[name] {
				t.Errorf("%s uses %s, which the gateway does not export", where, name)
			}
		}
	}
	for _, r := range loadAlertRules(t) {
		check("alert "+r.Alert, r.Expr)
	}
	for _, panel := range loadDashboard(t).Panels {
		for _, target := range panel.Targets {
			check("panel "+panel.Title, target.Expr)
		}
	}
}

// alertRule is one rule of a Prometheus rule file.
type alertRule struct {
	Alert       string            `json:"alert"`
	Expr        string            `json:"expr"`
	For         string            `json:"for"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

// loadAlertRules reads the rules of deploy/prometheus/alerts.yml.
func loadAlertRules(t *testing.T) []alertRule {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(deployDir, "prometheus", "alerts.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Groups []struct {
			Name  string      `json:"name"`
			Rules []alertRule `json:"rules"`
		} `json:"groups"`
	}
	if err := yaml.UnmarshalStrict(data, &file); err != nil {
		t.Fatalf("alerts.yml: %v", err)
	}
	var out []alertRule
	for _, g := range file.Groups {
		out = append(out, g.Rules...)
	}
	return out
}

// dashboard is what the test reads of the Grafana dashboard.
type dashboard struct {
	Title  string `json:"title"`
	Panels []struct {
		Title   string `json:"title"`
		Type    string `json:"type"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
}

// loadDashboard reads deploy/grafana/safelink.json.
func loadDashboard(t *testing.T) dashboard {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(deployDir, "grafana", "safelink.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("safelink.json: %v", err)
	}
	return d
}

// The alert rules cover what docs/operations.md promises, each with a
// severity, a summary and what to do; the dashboard has a panel for each
// thing an operator watches.
func TestAlertRulesAndDashboardCoverTheirPromises(t *testing.T) {
	var alerts []string
	for _, r := range loadAlertRules(t) {
		alerts = append(alerts, r.Alert)
		if r.Labels["severity"] == "" || r.Annotations["summary"] == "" || r.Annotations["runbook"] == "" {
			t.Errorf("alert %s lacks a severity, a summary or a runbook: %+v", r.Alert, r)
		}
	}
	for _, want := range []string{"SafelinkThreatListsStale", "SafelinkRedisDown", "SafelinkEventsDropping",
		"SafelinkReloadFailing", "SafelinkServerErrors", "SafelinkBlockRateJump"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("no alert %s in alerts.yml (%v)", want, alerts)
		}
	}
	ops, err := os.ReadFile(filepath.Join("..", "..", "docs", "operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		if !strings.Contains(string(ops), "### "+a) {
			t.Errorf("docs/operations.md has no section ### %s", a)
		}
	}
	var titles []string
	for _, p := range loadDashboard(t).Panels {
		titles = append(titles, p.Title)
	}
	for _, want := range []string{"Clicks by action", "5xx responses", "Threat list age", "Event lag", "Rule hits", "Redis"} {
		if !slices.Contains(titles, want) {
			t.Errorf("the dashboard has no panel %q (%v)", want, titles)
		}
	}
}
