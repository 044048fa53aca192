package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// writePatterns writes pattern files into a new directory.
func writePatterns(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	return dir
}

const otpPattern = "list ask: kirim, minta\nkind credential-request\nmatch {ask} ~2 otp\nunless jangan before 2\n"

func TestSignalsLint(t *testing.T) {
	code, out, errOut := runCmd(t, nil, "signals", "lint")
	if code != exitOK || !strings.Contains(out, "credential-request.txt: ") || !strings.HasSuffix(out, "signal patterns embedded are valid\n") {
		t.Errorf("embedded: exit %d %q %q", code, out, errOut)
	}
	good := writePatterns(t, map[string]string{"otp.txt": otpPattern})
	code, out, _ = runCmd(t, nil, "signals", "lint", "-signals-dir", good)
	if code != exitOK || out != "otp.txt: 1 lists, 1 match lines, 1 unless lines\nsignal patterns "+good+" are valid\n" {
		t.Errorf("good dir: exit %d %q", code, out)
	}
	code, out, _ = runCmd(t, map[string]string{"SAFELINK_SIGNALS_DIR": good}, "signals", "lint")
	if code != exitOK || !strings.Contains(out, good+" are valid") {
		t.Errorf("SAFELINK_SIGNALS_DIR: exit %d %q", code, out)
	}
	bad := writePatterns(t, map[string]string{"otp.txt": "kind credential-request\nmatch {ask} otp\nmatch otp ~0 x\n"})
	code, _, errOut = runCmd(t, nil, "signals", "lint", "-signals-dir", bad)
	want := "signal patterns " + bad + ":\notp.txt:2: unknown list {ask}\n"
	if code != exitFail || !strings.HasPrefix(errOut, "signal patterns "+bad+":\notp.txt:2:") || !strings.Contains(errOut, `otp.txt:3: "~0": a gap is ~N`) {
		t.Errorf("bad dir: exit %d %q, want it to start %q and name line 3", code, errOut, want)
	}
	code, _, errOut = runCmd(t, nil, "signals", "lint", "-signals-dir", filepath.Join(t.TempDir(), "missing"))
	if code != exitFail || !strings.Contains(errOut, "signal patterns directory") {
		t.Errorf("missing dir: exit %d %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, nil, "signals", "lint", good); code != exitUsage || !strings.Contains(errOut, "-signals-dir") {
		t.Errorf("a directory as argument: exit %d %q", code, errOut)
	}
}

func TestSignalsTestShowsWhatFiresAndWhy(t *testing.T) {
	dir := writePatterns(t, map[string]string{"otp.txt": otpPattern})
	code, out, errOut := runCmd(t, nil, "signals", "test", "-signals-dir", dir, "kak kirim OTP ya", "jangan kirim otp", "halo")
	if code != exitOK {
		t.Fatalf("exit %d %q", code, errOut)
	}
	want := `"kak kirim OTP ya"
  credential-request at 4-13: "kirim OTP"
    credential-request "kirim OTP" at 4-13 by otp.txt:3: match {ask} ~2 otp
"jangan kirim otp"
  no signal
    credential-request "kirim otp" at 7-16 by otp.txt:3: match {ask} ~2 otp
      dropped by otp.txt:4: unless jangan before 2
"halo"
  no signal
`
	if out != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
}

func TestSignalsTestWithTheEmbeddedPatterns(t *testing.T) {
	code, out, _ := runCmd(t, nil, "signals", "test", "ini otp nya 482910\x1b[2J")
	if code != exitOK || !strings.Contains(out, "secret-shared at 4-18: \"otp nya 482910\"") || !strings.Contains(out, "by secret-shared.txt:") {
		t.Errorf("exit %d %q", code, out)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("a control character of the message reached the terminal: %q", out)
	}
}

func TestSignalsCommandErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"signals"}, exitUsage, `expected "lint" or "test"`},
		{[]string{"signals", "check"}, exitUsage, `expected "lint" or "test"`},
		{[]string{"signals", "test"}, exitUsage, "give a message to test"},
		{[]string{"signals", "test", "-signals-dir", "/nonexistent", "otp"}, exitFail, "signal patterns directory"},
		{[]string{"signals", "lint", "-frob"}, exitUsage, "flag provided but not defined"},
	}
	for _, tt := range tests {
		code, _, errOut := runCmd(t, nil, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d %q; want %d and %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
}

func TestServeRefusesBrokenSignalPatterns(t *testing.T) {
	dir := writePatterns(t, map[string]string{"otp.txt": "kind credential-request\nmatch {ask} otp\n"})
	code, _, errOut := runCmd(t, nil, "serve", "-addr", "127.0.0.1:0", "-internal-addr", "127.0.0.1:0", "-signals-dir", dir)
	if code != exitFail || !strings.Contains(errOut, "otp.txt:2: unknown list {ask}") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestSIGHUPReloadsSignalPatterns(t *testing.T) {
	dir := writePatterns(t, map[string]string{"otp.txt": otpPattern})
	p := startGateway(t, "-signals-dir", dir, "-log-format", "json", "-public-url", "https://link.blibli.com", "-api-tokens", "chat:"+rewriteToken)
	if ready := p.readyz(t); !strings.Contains(ready, `"signals":{"match_lines":{"otp.txt":1},"source":"`+dir+`"}`) {
		t.Errorf("/readyz at start: %s", ready)
	}
	const apkMessage = "pasang dulu aplikasinya kak: resi.apk"
	if kinds := p.rewriteSignals(t, apkMessage); len(kinds) != 0 {
		t.Errorf("signals before the apk-file pattern was added: %v", kinds)
	}

	writeFile(t, filepath.Join(dir, "otp.txt"), otpPattern+"match otp ~0 x\n")
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	failed := p.waitLog(t, "reload failed; serving the last good templates, static files and allowlist")
	if !strings.Contains(failed["err"].(string), "otp.txt:5") {
		t.Errorf("the reload error does not name the line: %v", failed["err"])
	}
	if ready := p.readyz(t); !strings.Contains(ready, "otp.txt:5") {
		t.Errorf("/readyz after a failed reload: %s", ready)
	}

	writeFile(t, filepath.Join(dir, "more.txt"), "kind apk-file\nmatch .apk\n")
	writeFile(t, filepath.Join(dir, "otp.txt"), otpPattern)
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	p.waitLog(t, "reloaded templates, static files and allowlist")
	if ready := p.readyz(t); !strings.Contains(ready, `"match_lines":{"more.txt":1,"otp.txt":1}`) {
		t.Errorf("/readyz after a good reload: %s", ready)
	}
	if kinds := p.rewriteSignals(t, apkMessage); len(kinds) != 1 || kinds[0] != "apk-file" {
		t.Errorf("signals after the reload added the apk-file pattern: %v", kinds)
	}
}

// rewriteToken is the rewrite API's token of the gateways these tests start.
const rewriteToken = "process-test-rewrite-token"

// rewriteSignals sends text through the gateway's rewrite API and returns
// the kinds of the signals of the answer.
func (p *gatewayProcess) rewriteSignals(t *testing.T, text string) []string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"text": text})
	req, _ := http.NewRequest(http.MethodPost, "http://"+p.internal+"/api/v1/rewrite", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+rewriteToken)
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct {
		Signals []struct{ Kind string } `json:"signals"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&answer) != nil {
		t.Fatalf("rewrite: %d", resp.StatusCode)
	}
	var kinds []string
	for _, s := range answer.Signals {
		kinds = append(kinds, s.Kind)
	}
	return kinds
}

// readyz returns the body of the internal /readyz, checked to be JSON.
func (p *gatewayProcess) readyz(t *testing.T) string {
	t.Helper()
	resp, err := noRedirects.Get("http://" + p.internal + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || !json.Valid(body) {
		t.Fatalf("/readyz: %v %q", err, body)
	}
	return string(body)
}

func TestWatchReloadsSignalPatterns(t *testing.T) {
	dir := writePatterns(t, map[string]string{"otp.txt": otpPattern})
	p := startGateway(t, "-signals-dir", dir, "-watch", "-log-format", "json")
	writeFile(t, filepath.Join(dir, "otp.txt"), "kind apk-file\n")
	failed := p.waitLog(t, "reload failed; serving the last good templates, static files and allowlist")
	if !strings.Contains(failed["err"].(string), "otp.txt:1: kind apk-file has no match line below it") {
		t.Errorf("the reload error: %v", failed["err"])
	}
}
