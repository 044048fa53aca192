package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runCmd runs the command in process with the given environment.
func runCmd(t *testing.T, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(env{
		args:   args,
		stdin:  strings.NewReader(""),
		stdout: &out,
		stderr: &errOut,
		getenv: func(k string) string { return environ[k] },
	})
	return code, out.String(), errOut.String()
}

func TestCheckExplainsEachDecision(t *testing.T) {
	code, out, errOut := runCmd(t, nil, "check", "http://www.blibli.com/a", "https://blíbli.com/", "javascript:x")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"http://www.blibli.com/a\n  action:   redirect\n  target:   https://www.blibli.com/a\n  site:     blibli.com\n",
		"  reasons:  external, lookalike\n",
		"  site:     blíbli.com (xn--blbli-0sa.com)\n  imitates: blibli.com\n",
		"javascript:x\n  action:   invalid\n  problem:  scheme\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	code, out, _ := runCmd(t, nil, "check", "-json", "https://bit.ly/x", "ftp://x")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	var first, second checkResult
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	if first.Action != "warn" || len(first.Reasons) != 2 || first.Site != "bit.ly" || first.Target != "https://bit.ly/x" {
		t.Errorf("first = %+v", first)
	}
	if second.Action != "invalid" || second.Problem != "scheme" || !strings.Contains(lines[1], `"reasons":[]`) {
		t.Errorf("second = %s", lines[1])
	}
}

func TestCheckReadsSettingsFromEnvironmentAndFlagsWin(t *testing.T) {
	link := "https://safe.example/go?u=https%3A%2F%2Fwww.blibli.com%2F"
	_, out, _ := runCmd(t, map[string]string{"SAFELINK_PUBLIC_URL": "https://safe.example"}, "check", link)
	if !strings.Contains(out, "action:   redirect") || !strings.Contains(out, "unwrapped: 1 gateway link") {
		t.Errorf("SAFELINK_PUBLIC_URL was not used:\n%s", out)
	}
	_, out, _ = runCmd(t, map[string]string{"SAFELINK_PUBLIC_URL": "https://safe.example"}, "check", "-public-url", "https://other.example", link)
	if !strings.Contains(out, "reasons:  external") {
		t.Errorf("the flag did not win over the environment:\n%s", out)
	}
	code, _, errOut := runCmd(t, map[string]string{"SAFELINK_JSON": "maybe"}, "check", link)
	if code != exitUsage || !strings.Contains(errOut, `SAFELINK_JSON="maybe"`) {
		t.Errorf("a bad environment value: exit %d, %q", code, errOut)
	}
}

func TestCheckWithACustomAllowlist(t *testing.T) {
	dir := writeAllowlist(t, "example.co.id\n")
	_, out, _ := runCmd(t, nil, "check", "-allowlist-dir", dir, "https://shop.example.co.id/", "https://www.blibli.com/")
	if !strings.Contains(out, "https://shop.example.co.id/\n  action:   redirect") || !strings.Contains(out, "https://www.blibli.com/\n  action:   warn") {
		t.Errorf("custom allowlist not used:\n%s", out)
	}
}

func TestAllowlistLint(t *testing.T) {
	code, out, _ := runCmd(t, nil, "allowlist", "lint")
	if code != exitOK || !strings.Contains(out, "allowlist embedded is valid") {
		t.Errorf("embedded: exit %d %q", code, out)
	}
	code, out, _ = runCmd(t, nil, "allowlist", "lint", writeAllowlist(t, "blibli.com\n"))
	if code != exitOK || !strings.Contains(out, "official.txt: 1 entries") {
		t.Errorf("good dir: exit %d %q", code, out)
	}
	code, _, errOut := runCmd(t, nil, "allowlist", "lint", writeAllowlist(t, "blibli.com\ngithub.io\nhttps://x.com/\n"))
	if code != exitFail || !strings.Contains(errOut, "official.txt:2: \"github.io\" is a public suffix") || !strings.Contains(errOut, "official.txt:3:") {
		t.Errorf("bad dir: exit %d %q", code, errOut)
	}
	code, _, errOut = runCmd(t, nil, "allowlist", "lint", writeAllowlist(t, "blibli.com\namazonaws.com\n"))
	if want := `official.txt:2: "amazonaws.com" sits above the public suffix "s3.amazonaws.com", under which anyone can register names`; code != exitFail || !strings.Contains(errOut, want) {
		t.Errorf("entry above a public suffix: exit %d %q, want %q", code, errOut, want)
	}
	code, _, errOut = runCmd(t, nil, "allowlist", "lint", filepath.Join(t.TempDir(), "missing"))
	if code != exitFail || !strings.Contains(errOut, "allowlist directory") {
		t.Errorf("missing dir: exit %d %q", code, errOut)
	}
}

// The scanner patterns are linted with the allowlist: a directory without
// scanners.txt uses the embedded file, one with it uses its own.
func TestAllowlistLintChecksScanners(t *testing.T) {
	dir := writeAllowlist(t, "blibli.com\n")
	code, out, _ := runCmd(t, nil, "allowlist", "lint", dir)
	if code != exitOK || !regexp.MustCompile(`scanners\.txt: [1-9][0-9]* patterns \(embedded\)`).MatchString(out) {
		t.Errorf("no scanners.txt: exit %d %q", code, out)
	}
	writeFile(t, filepath.Join(dir, "scanners.txt"), "WhatsApp\nSlackbot\n")
	code, out, _ = runCmd(t, nil, "allowlist", "lint", dir)
	if code != exitOK || !strings.Contains(out, "scanners.txt: 2 patterns ("+dir+")") {
		t.Errorf("own scanners.txt: exit %d %q", code, out)
	}
	writeFile(t, filepath.Join(dir, "scanners.txt"), "WhatsApp\nwa\n")
	code, _, errOut := runCmd(t, nil, "allowlist", "lint", dir)
	if code != exitFail || !strings.Contains(errOut, "scanners.txt:2: pattern \"wa\"") {
		t.Errorf("bad scanners.txt: exit %d %q", code, errOut)
	}
}

func TestUsage(t *testing.T) {
	if code, _, _ := runCmd(t, nil); code != exitUsage {
		t.Errorf("no command: exit %d", code)
	}
	if code, _, errOut := runCmd(t, nil, "frobnicate"); code != exitUsage || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d %q", code, errOut)
	}
	if code, _, _ := runCmd(t, nil, "check"); code != exitUsage {
		t.Errorf("check without URLs: exit %d", code)
	}
	code, _, errOut := runCmd(t, nil, "serve", "-h")
	if code != exitOK {
		t.Errorf("serve -h: exit %d", code)
	}
	for _, env := range []string{"SAFELINK_ADDR", "SAFELINK_INTERNAL_ADDR", "SAFELINK_PUBLIC_URL", "SAFELINK_HOME_URL",
		"SAFELINK_ALLOWLIST_DIR", "SAFELINK_HSTS_MAX_AGE", "SAFELINK_READ_HEADER_TIMEOUT", "SAFELINK_READ_TIMEOUT",
		"SAFELINK_WRITE_TIMEOUT", "SAFELINK_IDLE_TIMEOUT", "SAFELINK_MAX_HEADER_BYTES", "SAFELINK_SHUTDOWN_TIMEOUT",
		"SAFELINK_LOG_FORMAT", "SAFELINK_LOG_LEVEL"} {
		if !strings.Contains(errOut, "["+env+"]") {
			t.Errorf("serve -h does not list %s", env)
		}
	}
}

func TestServeRefusesBadConfiguration(t *testing.T) {
	tests := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"-home-url", "https://evil.example/"}, "home URL"},
		{nil, []string{"-public-url", "link.blibli.com"}, "public URL"},
		{nil, []string{"-allowlist-dir", "/nonexistent"}, "allowlist directory"},
		{nil, []string{"-log-format", "xml"}, "log format"},
		{map[string]string{"SAFELINK_READ_TIMEOUT": "soon"}, nil, "SAFELINK_READ_TIMEOUT"},
		{nil, []string{"extra"}, "unexpected argument"},
		{nil, []string{"-api-per-minute", "100000000"}, "api-per-minute"},
		// Replicas sharing state must share the form key too.
		{nil, []string{"-redis-url", "redis://127.0.0.1:1"}, "token-key is required with redis-url"},
		{nil, []string{"-webrisk-api-key", "k", "-webrisk-endpoint", "http://10.1.2.3:443"}, "plaintext to another host"},
		{nil, []string{"-webrisk-api-key", "k", "-webrisk-adc"}, "not both"},
		{nil, []string{"-webrisk-api-key", "k", "-webrisk-lists", "harmful-application"}, "no list"},
		{nil, []string{"-webrisk-extended", "maybe"}, "webrisk-extended"},
		{nil, []string{"-event-salt-rotation", "-1h"}, "negative"},
		// Every token has a name; an error names the entry, never its token.
		{map[string]string{"SAFELINK_ADMIN_TOKENS": "Secret-legacy-admin-token"}, nil, "admin-tokens: entry 1 has no name; write it as name:token"},
		{nil, []string{"-api-tokens", "chat:Secret-api-token-0123, chat:Secret-api-token-4567"}, "api-tokens: entry 2 (chat): the name is given twice"},
		{nil, []string{"-api-tokens", "chat:Secret-api-token-0123,moderation:Secret-api-token-0123"}, "entry 2 (moderation) has the same token as chat"},
		{nil, []string{"-admin-tokens", "secops:Secret-short"}, "admin-tokens: entry 1 (secops): the token must be 16 to 4096 characters"},
		{nil, []string{"-admin-tokens", "Sec Ops:Secret-admin-token-0123"}, "admin-tokens: entry 1: the name must be"},
		{nil, []string{"-admin-per-minute", "0"}, "admin-per-minute: 0 is not"},
		{nil, []string{"-auth-failures-per-minute", "-1"}, "auth-failures-per-minute"},
		{nil, []string{"-audit-retention", "1h"}, "audit-retention: 1h0m0s is not from 24h0m0s"},
		{nil, []string{"-audit-retention", "100000h"}, "audit-retention"},
		{nil, []string{"-stats-retention", "30m"}, "stats-retention: 30m0s is not from 1h0m0s to 8760h0m0s"},
		{nil, []string{"-stats-retention", "9000h"}, "stats-retention"},
		// A forwarded address needs the proxies that may set it.
		{nil, []string{"-client-ip-header", "X-Forwarded-For"}, "set trusted-proxies"},
		{nil, []string{"-trusted-proxies", "10.0.0.0/8"}, "set client-ip-header too"},
		{nil, []string{"-client-ip-header", "X-Real-IP", "-trusted-proxies", "0.0.0.0/0"}, "holds every address"},
		{nil, []string{"-client-ip-header", "X-Real-IP", "-trusted-proxies", "10.0.0.0/33"}, "is not an address or a CIDR such as 10.0.0.0/8"},
		{nil, []string{"-client-ip-header", "Forwarded", "-trusted-proxies", "10.0.0.1"}, "neither X-Forwarded-For nor X-Real-IP"},
		{nil, []string{"-assetlinks", "/nonexistent/assetlinks.json"}, "assetlinks /nonexistent/assetlinks.json"},
		{nil, []string{"-apple-app-site-association", "../../gateway/applinks/testdata/assetlinks.json"}, "apple-app-site-association"},
		{nil, []string{"-expand-timeout", "0s"}, "expand-timeout: 0s is not from 1ms to 10s"},
		{nil, []string{"-expand-timeout", "1m"}, "expand-timeout"},
		{map[string]string{"SAFELINK_EXPAND_PROXY": "socks5://squid:Secret-proxy-pass@proxy.internal:1080"}, nil, "expand-proxy: not a proxy URL"},
		{nil, []string{"-expand-proxy", "http://proxy.internal:3128/path?Secret-x"}, "expand-proxy: not a proxy URL"},
	}
	for _, tt := range tests {
		args := append([]string{"serve", "-addr", "127.0.0.1:0", "-internal-addr", "127.0.0.1:0"}, tt.args...)
		code, _, errOut := runCmd(t, tt.env, args...)
		if code == exitOK || !strings.Contains(errOut, tt.want) {
			t.Errorf("serve %v: exit %d, %q; want an error about %s", tt.args, code, errOut, tt.want)
		}
		if strings.Contains(errOut, "Secret-") {
			t.Errorf("serve %v: the error shows a token: %q", tt.args, errOut)
		}
	}
}

func writeAllowlist(t *testing.T, official string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{"official.txt": official, "shorteners.txt": "bit.ly\n", "messaging.txt": "wa.me\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRewriteCommand(t *testing.T) {
	env := map[string]string{"SAFELINK_PUBLIC_URL": "https://link.blibli.com", "SAFELINK_SIGNING_KEYS": "k1:c2lnbmluZy1rZXktb2YtdGhpcnR5LXR3by1ieXRlcyE="}
	var out, errOut bytes.Buffer
	msg := "Kak, bayar lewat wa.me/62812 aja ya 🙏\n"
	code := run(withInput(env, msg, &out, &errOut, "rewrite"))
	if code != exitOK || !strings.HasPrefix(out.String(), "Kak, bayar lewat https://link.blibli.com/go?u=https%3A%2F%2Fwa.me%2F62812&c=off-platform-contact&s=k1.") ||
		!strings.HasSuffix(out.String(), " aja ya 🙏\n") {
		t.Errorf("rewrite: exit %d %q %q", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := run(withInput(env, msg, &out, &errOut, "rewrite", "-json")); code != exitOK ||
		!strings.Contains(out.String(), `"verdict":{"action":"warn","reasons":["external","messaging","suspicious-message"]}`) ||
		!strings.Contains(out.String(), `"signals":[{"kind":"off-platform-contact","start":11,"end":22,"start_utf16":11,"end_utf16":22,"text":"lewat wa.me","hint":{"title":"Tetap ngobrol`) {
		t.Errorf("rewrite -json: exit %d %s", code, out.String())
	}
	out.Reset()
	signalsDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(signalsDir, "broken.txt"), []byte("kind nothing-known\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := run(withInput(env, msg, &out, &errOut, "rewrite", "-signals-dir", signalsDir)); code != exitUsage || !strings.Contains(errOut.String(), "broken.txt:1") {
		t.Errorf("rewrite with broken signal patterns: exit %d %q", code, errOut.String())
	}
	if code := run(withInput(map[string]string{"SAFELINK_SIGNING_KEYS": "bad"}, msg, &out, &errOut, "rewrite")); code != exitUsage {
		t.Errorf("bad signing keys: exit %d", code)
	}
}

// withInput is an env with the given variables, standard input and outputs.
func withInput(vars map[string]string, stdin string, stdout, stderr *bytes.Buffer, args ...string) env {
	return env{args: args, stdin: strings.NewReader(stdin), stdout: stdout, stderr: stderr, getenv: func(k string) string { return vars[k] }}
}
