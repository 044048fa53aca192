package main

import (
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blibli/safelink"
)

// get fetches a page of the gateway and returns its status and body.
func (p *gatewayProcess) get(t *testing.T, path string) (int, string) {
	t.Helper()
	if strings.HasPrefix(path, "/go?") {
		p.clicks.Add(1)
	}
	return fetch(t, "http://"+p.public+path)
}

// fetch gets url without following redirects and returns its status and
// body.
func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := noRedirects.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// eventually polls the gateway until the page at path contains want, for
// at most a second, and fails otherwise. No answer may be a 5xx meanwhile.
func (p *gatewayProcess) eventually(t *testing.T, path, want string) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for {
		status, body := p.get(t, path)
		if status >= 500 {
			t.Fatalf("%s: %d during a reload", path, status)
		}
		if strings.Contains(body, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not show %q within a second", path, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func embeddedFile(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(safelink.Templates(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const shortLink = "/go?u=https%3A%2F%2Fbit.ly%2Fx"

func TestSIGHUPReloadsTemplatesAndAllowlist(t *testing.T) {
	templates, allowDir := t.TempDir(), writeAllowlist(t, "blibli.com\n")
	reasons := embeddedFile(t, "_reasons.html")
	writeFile(t, filepath.Join(templates, "_reasons.html"), strings.Replace(reasons, "Ini tautan pendek.", "Versi satu.", 1))
	p := startGateway(t, "-templates-dir", templates, "-allowlist-dir", allowDir, "-log-format", "json")
	if _, body := p.get(t, shortLink); !strings.Contains(body, "Versi satu.") {
		t.Fatal("the override template is not served")
	}

	writeFile(t, filepath.Join(templates, "_reasons.html"), strings.Replace(reasons, "Ini tautan pendek.", "Versi dua.", 1))
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	p.eventually(t, shortLink, "Versi dua.")

	// A broken override is refused: the old text stays, with no 5xx.
	writeFile(t, filepath.Join(templates, "_reasons.html"), `{{define "reason-external"}}{{.Nope}`)
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	p.waitLog(t, "reload failed; serving the last good templates, static files and allowlist")
	if status, body := p.get(t, shortLink); status != http.StatusOK || !strings.Contains(body, "Versi dua.") {
		t.Errorf("after a broken template: %d, old text served: %v", status, strings.Contains(body, "Versi dua."))
	}

	// So is a broken allowlist file.
	writeFile(t, filepath.Join(templates, "_reasons.html"), strings.Replace(reasons, "Ini tautan pendek.", "Versi dua.", 1))
	writeFile(t, filepath.Join(allowDir, "official.txt"), "blibli.com\nbit.ly/path\n")
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	failed := p.waitLog(t, "reload failed; serving the last good templates, static files and allowlist")
	if !strings.Contains(failed["err"].(string), "official.txt:2") {
		t.Errorf("the reload error does not name the line: %v", failed["err"])
	}
	if status, _ := p.get(t, shortLink); status != http.StatusOK {
		t.Errorf("after a broken allowlist, bit.ly: %d", status)
	}
	resp, err := noRedirects.Get("http://" + p.internal + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	ready, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(ready), "official.txt:2") {
		t.Errorf("/readyz after a failed reload: %d %s", resp.StatusCode, ready)
	}
	if failing, failures := p.metric(t, "safelink_reload_failing"), p.metric(t, "safelink_reload_failures_total"); failing != 1 || failures != 2 {
		t.Errorf("metrics after two failed reloads: safelink_reload_failing %v, safelink_reload_failures_total %v", failing, failures)
	}

	// Fixed, it applies: bit.ly made official now redirects.
	writeFile(t, filepath.Join(allowDir, "official.txt"), "blibli.com\nbit.ly\n")
	writeFile(t, filepath.Join(allowDir, "shorteners.txt"), "tinyurl.com\n")
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for status, _ := p.get(t, shortLink); status != http.StatusFound; status, _ = p.get(t, shortLink) {
		if time.Now().After(deadline) {
			t.Fatalf("the fixed allowlist does not apply within a second: %d", status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if failing := p.metric(t, "safelink_reload_failing"); failing != 0 {
		t.Errorf("safelink_reload_failing after a good reload: %v", failing)
	}
}

func TestWatchReloadsOnFileChange(t *testing.T) {
	templates := t.TempDir()
	reasons := embeddedFile(t, "_reasons.html")
	p := startGateway(t, "-templates-dir", templates, "-watch", "-log-format", "json")
	writeFile(t, filepath.Join(templates, "_reasons.html"), strings.Replace(reasons, "Ini tautan pendek.", "Diubah lewat watch.", 1))
	p.eventually(t, shortLink, "Diubah lewat watch.")
}

func TestTemplatesCheck(t *testing.T) {
	code, out, errOut := runCmd(t, nil, "templates", "check")
	if code != exitOK || !strings.Contains(out, "variants rendered") {
		t.Errorf("embedded: exit %d %q %q", code, out, errOut)
	}
	good := t.TempDir()
	writeFile(t, filepath.Join(good, "warn.html"), strings.Replace(embeddedFile(t, "warn.html"), "Kembali ke Blibli", "Balik ke Blibli", 1))
	if code, out, _ := runCmd(t, nil, "templates", "check", good); code != exitOK || !strings.Contains(out, good+" over embedded") {
		t.Errorf("good override: exit %d %q", code, out)
	}
	tests := map[string]string{
		"warn.html":     "{{define \"content\"}}\n{{if}}\n{{end}}",
		"_reasons.html": `{{define "reason-external"}}x{{end}}`,
		"invalid.html":  "{{define \"title\"}}x{{end}}{{define \"content\"}}\n\n{{.NoSuchField}}{{end}}",
	}
	wants := map[string]string{"warn.html": "warn.html:2", "_reasons.html": "reason-insecure", "invalid.html": "invalid.html:3"}
	for file, content := range tests {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, file), content)
		code, _, errOut := runCmd(t, nil, "templates", "check", dir)
		if code != exitFail || !strings.Contains(errOut, wants[file]) {
			t.Errorf("broken %s: exit %d %q; want an error naming %s", file, code, errOut, wants[file])
		}
	}
}

func TestServeRefusesABrokenOverride(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "block.html"), "{{define \"content\"}}{{template \"missing\"}}{{end}}")
	code, _, errOut := runCmd(t, nil, "serve", "-addr", "127.0.0.1:0", "-internal-addr", "127.0.0.1:0", "-templates-dir", dir)
	if code != exitFail || !strings.Contains(errOut, "block") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
