package main

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/adminapi"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// adminCLI runs commands against the admin API of a running gateway, as a
// member of the security team named alice with the gateway's token, whose
// name is secops.
type adminCLI struct {
	t       *testing.T
	environ map[string]string
}

func newAdminCLI(t *testing.T, p *gatewayProcess) *adminCLI {
	return &adminCLI{t: t, environ: map[string]string{
		"SAFELINK_ADMIN_URL": "http://" + p.internal, "SAFELINK_ADMIN_TOKEN": testAdminToken, "USER": "alice",
	}}
}

// ok runs a command that must succeed and returns its output.
func (a *adminCLI) ok(args ...string) string {
	a.t.Helper()
	code, out, errOut := runCmd(a.t, a.environ, args...)
	if code != exitOK || errOut != "" {
		a.t.Fatalf("safelink %s: exit %d, %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// json runs a command with -json that must succeed and decodes its output.
func (a *adminCLI) json(v any, args ...string) {
	a.t.Helper()
	if err := json.Unmarshal([]byte(a.ok(append(args, "-json")...)), v); err != nil {
		a.t.Fatalf("safelink %s -json: %v", strings.Join(args, " "), err)
	}
}

// The commands add, list and remove rules through a real gateway, which
// enforces them and audits each change with its author, the token's name,
// the caller's note (-by, the user name by default) and why.
func TestAdminCommands(t *testing.T) {
	p := startGateway(t, "-admin-tokens", testAdminTokens, "-log-format", "json")
	cli := newAdminCLI(t, p)

	var blocked rules.Rule
	cli.json(&blocked, "rule", "add", "-value", "Promo-Palsu.com", "-reason", "Kampanye phishing", "-expires-in", "24h")
	if blocked.ID == "" || blocked.Value != "promo-palsu.com" || blocked.Action != verdict.RuleBlock || blocked.Author != "secops" || blocked.CreatedBy != "alice" ||
		blocked.ExpiresAt.IsZero() {
		t.Errorf("rule add -expires-in 24h: %+v", blocked)
	}
	out := cli.ok("rule", "add", "-match", "host", "-value", "toko.example", "-action", "warn", "-reason", "Penjual palsu", "-by", "bob")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || strings.Join(strings.Fields(lines[0]), " ") != "ID MATCH VALUE ACTION EXPIRES AUTHOR NOTE REASON" ||
		!strings.HasSuffix(strings.Join(strings.Fields(lines[1]), " "), "host toko.example warn never secops bob Penjual palsu") {
		t.Errorf("rule add without expiry:\n%s", out)
	}
	warned := strings.Fields(lines[1])[0]

	if status, _ := p.get(t, "/go?u="+url.QueryEscape("https://promo-palsu.com/")); status != http.StatusForbidden {
		t.Errorf("the block rule is not enforced: %d", status)
	}
	out = cli.ok("rule", "ls")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.Contains(out, blocked.ID) || !strings.Contains(out, warned) {
		t.Errorf("rule ls:\n%s", out)
	}
	var list adminapi.RuleList
	cli.json(&list, "rule", "ls")
	if len(list.Rules) != 2 || list.Revision != 2 {
		t.Errorf("rule ls -json: %+v", list)
	}

	// Flags after the ID.
	out = cli.ok("rule", "rm", blocked.ID, "-by", "carol", "-why", "kampanye selesai")
	if !strings.Contains(out, blocked.ID) || !strings.Contains(out, "promo-palsu.com") {
		t.Errorf("rule rm:\n%s", out)
	}
	var removed rules.Rule
	cli.json(&removed, "rule", "rm", "-why", "sudah aman", warned)
	if removed.ID != warned {
		t.Errorf("rule rm -json: %+v", removed)
	}
	if status, _ := p.get(t, "/go?u="+url.QueryEscape("https://www.blibli.com/")); status != http.StatusFound {
		t.Errorf("after the removals: %d", status)
	}

	out = cli.ok("audit")
	want := []string{
		"remove secops alice " + warned + " host toko.example warn sudah aman",
		"remove secops carol " + blocked.ID + " domain promo-palsu.com block kampanye selesai",
		"add secops bob " + warned + " host toko.example warn Penjual palsu",
		"add secops alice " + blocked.ID + " domain promo-palsu.com block Kampanye phishing",
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(want)+1 {
		t.Fatalf("audit:\n%s", out)
	}
	for i, w := range want {
		// Each line starts with the date and time of the change.
		if got := strings.Join(strings.Fields(lines[i+1])[2:], " "); got != w {
			t.Errorf("audit line %d: %q, want %q", i+1, got, w)
		}
	}
	var audit adminapi.AuditLog
	cli.json(&audit, "audit", "-limit", "1")
	if len(audit.Changes) != 1 || audit.Changes[0].Op != rules.OpRemove || audit.Changes[0].Author != "secops" || audit.Changes[0].Note != "alice" {
		t.Errorf("audit -limit 1 -json: %+v", audit)
	}
}

func TestStatsCommand(t *testing.T) {
	p := startGateway(t, "-admin-tokens", testAdminTokens, "-log-format", "json")
	cli := newAdminCLI(t, p)
	for range 3 {
		p.get(t, "/go?u="+url.QueryEscape("https://bit.ly/promo"))
	}
	p.get(t, "/go?u="+url.QueryEscape("https://www.blibli.com/"))
	var stats adminapi.Stats
	deadline := time.Now().Add(5 * time.Second)
	for cli.json(&stats, "stats", "-since", "1h"); stats.Decisions < 4; cli.json(&stats, "stats", "-since", "1h") {
		if time.Now().After(deadline) {
			t.Fatalf("the clicks are not in the stats within 5s: %+v", stats)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(stats.TopSites) != 2 || stats.TopSites[0].Site != "bit.ly" || stats.TopSites[0].Clicks != 3 {
		t.Errorf("stats -json: %+v", stats)
	}
	out := cli.ok("stats", "-top", "1")
	for _, w := range []string{": 4 clicks, 0 click-throughs, 0 reports\n", "Clicks by action: invalid 0 block 0 warn 3 redirect 1\n",
		"TOP SITES  CLICKS  WARNED  BLOCKED\n", "bit.ly     3       3       0\n", "shortener", "Recent reports:"} {
		if !strings.Contains(out, w) {
			t.Errorf("stats lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "blibli.com") {
		t.Errorf("stats -top 1 lists a second site:\n%s", out)
	}
}

// Each way an admin command can fail says why on stderr and exits 2 for a
// bad command line, 1 for a call that failed; none shows the token.
func TestAdminCommandErrors(t *testing.T) {
	p := startGateway(t, "-admin-tokens", testAdminTokens, "-log-format", "json")
	cli := newAdminCLI(t, p)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	const wrongToken = "wrong-admin-token-0123456789"
	add := []string{"rule", "add", "-value", "ok-toko.com", "-reason", "r"}
	tests := []struct {
		name    string
		environ map[string]string // over the CLI's
		args    []string
		code    int
		says    string
	}{
		{"wrong token", map[string]string{"SAFELINK_ADMIN_TOKEN": wrongToken}, []string{"rule", "ls"}, exitFail,
			"safelink rule ls: 401 Unauthorized: missing or unknown bearer token\n"},
		{"wrong token given as a flag", nil, []string{"audit", "-admin-token", wrongToken}, exitFail, "safelink audit: 401 Unauthorized"},
		{"gateway not reachable", map[string]string{"SAFELINK_ADMIN_URL": closed}, []string{"stats"}, exitFail, "safelink stats: Get \"" + closed},
		{"refused action", nil, append(add, "-action", "explode"), exitFail, `safelink rule add: 400 Bad Request: rule action: "explode" is not block, warn, allow or reported`},
		{"refused value", nil, []string{"rule", "add", "-value", "github.io", "-reason", "r"}, exitFail, "400 Bad Request: rule value"},
		{"refused match", nil, append(add, "-match", "regex"), exitFail, "400 Bad Request: rule match"},
		{"no reason", nil, []string{"rule", "add", "-value", "ok-toko.com"}, exitFail, "400 Bad Request: rule reason: is required"},
		{"a note that drives the terminal", nil, append(add, "-by", "ana\x1b[2J"), exitFail, "400 Bad Request: rule created_by: has the control character"},
		{"refused expiry", nil, append(add, "-expires-in", "soon"), exitFail, "400 Bad Request: expires_in"},
		{"unknown ID", nil, []string{"rule", "rm", "-why", "w", "0123456789abcdef"}, exitFail, `safelink rule rm: 404 Not Found: no rule "0123456789abcdef"`},
		{"an ID that is a path", nil, []string{"rule", "rm", "-why", "w", "../audit"}, exitFail, "404 Not Found"},
		{"removal without why", nil, []string{"rule", "rm", "0123456789abcdef"}, exitFail, "400 Bad Request: rule why: is required"},
		{"audit limit out of range", nil, []string{"audit", "-limit", "100000"}, exitFail, `400 Bad Request: limit: "100000" is not a number from 1 to 10000`},
		{"negative since", nil, []string{"stats", "-since", "-1h"}, exitFail, "400 Bad Request: since"},
		{"negative top", nil, []string{"stats", "-top", "-1"}, exitFail, "400 Bad Request: top"},
		{"unexpected argument", nil, []string{"rule", "ls", "extra"}, exitUsage, `safelink rule ls: unexpected argument "extra"`},
		{"unexpected argument to add", nil, append(add, "more"), exitUsage, `unexpected argument "more"`},
		{"missing rule ID", nil, []string{"rule", "rm", "-why", "w"}, exitUsage, "safelink rule rm: missing rule ID"},
		{"empty rule ID", nil, []string{"rule", "rm", "-why", "w", ""}, exitUsage, "missing rule ID"},
		{"two rule IDs", nil, []string{"rule", "rm", "-why", "w", "a", "b"}, exitUsage, `unexpected argument "b"`},
		{"bad flag value", nil, []string{"audit", "-limit", "many"}, exitUsage, `invalid value "many" for flag -limit`},
		{"bad duration", nil, []string{"stats", "-since", "soon"}, exitUsage, "-since"},
		{"unknown flag", nil, append(add, "-colour", "red"), exitUsage, "flag provided but not defined: -colour"},
		{"flag without its value", nil, []string{"rule", "rm", "x", "-why"}, exitUsage, "flag needs an argument: -why"},
		{"bad environment", map[string]string{"SAFELINK_LIMIT": "many"}, []string{"audit"}, exitUsage, `SAFELINK_LIMIT="many"`},
		{"no subcommand", nil, []string{"rule"}, exitUsage, "expected add, ls or rm"},
		{"unknown subcommand", nil, []string{"rule", "edit"}, exitUsage, `unknown subcommand "edit"`},
		{"admin URL without a scheme", map[string]string{"SAFELINK_ADMIN_URL": "localhost:8081"}, []string{"rule", "ls"}, exitUsage, "the scheme must be http or https"},
		{"no token", map[string]string{"SAFELINK_ADMIN_TOKEN": ""}, []string{"rule", "ls"}, exitUsage, "no admin token"},
		{"help", nil, []string{"rule", "rm", "x", "-h"}, exitOK, "[SAFELINK_ADMIN_TOKEN]"},
	}
	for _, tt := range tests {
		environ := map[string]string{}
		for _, vars := range []map[string]string{cli.environ, tt.environ} {
			for k, v := range vars {
				environ[k] = v
			}
		}
		code, out, errOut := runCmd(t, environ, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.says) {
			t.Errorf("%s: safelink %s: exit %d, %q; want %d with %q", tt.name, strings.Join(tt.args, " "), code, errOut, tt.code, tt.says)
		}
		if code != exitOK && out != "" {
			t.Errorf("%s: output on a failure: %q", tt.name, out)
		}
		if strings.Contains(errOut, testAdminToken) || strings.Contains(errOut, wrongToken) {
			t.Errorf("%s: stderr shows a token: %q", tt.name, errOut)
		}
	}
	var list adminapi.RuleList
	cli.json(&list, "rule", "ls")
	if len(list.Rules) != 0 {
		t.Errorf("a failed command added a rule: %+v", list.Rules)
	}
}
