package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/blibli/safelink/internal/procs"
)

// scenario is one kind of request the benchmark drives.
type scenario struct {
	name   string
	server *procs.Process // the process that answers
	url    string
	method string
	body   string // for POST
	script string // wrk Lua script sending the body
	status int    // the answer the scenario must get
}

// result is what wrk measured for a scenario.
type result struct {
	name     string
	rps      float64
	p50, p99 time.Duration
	requests int64 // answered in the run
	// cpuPerRequest is the server's CPU time, user and kernel, over the
	// requests it answered; busy is its CPU time over the time wrk ran:
	// below 1 the load generator, not the server, set the pace.
	cpuPerRequest time.Duration
	busy          float64
	errors        string // wrk's socket errors and unexpected statuses, if any
}

// chatMessage is a 1 KiB chat message with 3 links, as the rewrite
// scenario sends it.
func chatMessage() string {
	parts := []string{
		"Halo kak, barangnya masih ada? Aku mau pesan yang warna biru ukuran 42 ya. ",
		"Kemarin aku lihat di https://www.blibli.com/p/sepatu-lari-pria/ps--ABC-60012-00001 harganya beda. ",
		"Temanku juga kirim bit.ly/promo-sepatu-murah katanya diskon 50%, itu resmi bukan kak? ",
		"Kalau mau nego bisa lewat wa.me/6281234567890 katanya. ",
	}
	msg := strings.Join(parts, "")
	filler := "Terima kasih banyak kak, ditunggu kabarnya ya, semoga cepat dikirim. "
	for len(msg)+len(filler) <= 1024 {
		msg += filler
	}
	return msg + strings.Repeat(".", 1024-len(msg))
}

// newScenarios returns the scenarios, the baseline first: every ratio is to
// it. The strict baseline, the baseline with the gateway's security headers
// and server timeouts, shows what those cost before the gateway does any
// work of its own.
func newScenarios(dir string, baseline, strict *procs.Process, gw, webRisk *procs.Gateway) ([]scenario, error) {
	goURL := func(addr, link string) string { return "http://" + addr + "/go?u=" + url.QueryEscape(link) }
	body, err := json.Marshal(map[string]string{"text": chatMessage()})
	if err != nil {
		return nil, err
	}
	script := filepath.Join(dir, "rewrite.lua")
	lua := fmt.Sprintf("wrk.method = \"POST\"\nwrk.body = %q\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"Authorization\"] = \"Bearer %s\"\n", body, procs.APIToken)
	if err := os.WriteFile(script, []byte(lua), 0o600); err != nil {
		return nil, err
	}
	official := "https://www.blibli.com/p/sepatu-lari-pria/ps--ABC-60012-00001"
	return []scenario{
		{name: "baseline 302 (echo only)", server: baseline, url: goURL(baseline.Addr, official), status: http.StatusFound},
		{name: "baseline + headers, timeouts", server: strict, url: goURL(strict.Addr, official), status: http.StatusFound},
		{name: "official redirect", server: gw.Process, url: goURL(gw.Addr, official), status: http.StatusFound},
		{name: "external warning page", server: gw.Process, url: goURL(gw.Addr, "https://toko-sepatu.id/produk/sepatu-lari?warna=biru"), status: http.StatusOK},
		{name: "shortener, cached expansion", server: gw.Process, url: goURL(gw.Addr, "http://bit.ly/promo-sepatu-murah"), status: http.StatusOK},
		{name: "block page (1M prefixes)", server: gw.Process, url: goURL(gw.Addr, "https://hadiah-gratis.id/klaim"), status: http.StatusForbidden},
		{name: "Web Risk block page (1M)", server: webRisk.Process, url: goURL(webRisk.Addr, "https://hadiah-gratis.id/klaim"), status: http.StatusForbidden},
		{name: "rewrite API (1 KiB, 3 links)", server: gw.Process, url: "http://" + gw.Internal + "/api/v1/rewrite", method: http.MethodPost,
			body: string(body), script: script, status: http.StatusOK},
	}, nil
}

// check sends one request and verifies the scenario gets its answer; it
// also warms the caches, as the first of many clicks would.
func (s scenario) check() error {
	req, err := http.NewRequest(s.methodOrGet(), s.url, strings.NewReader(s.body))
	if err != nil {
		return err
	}
	if s.body != "" {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+procs.APIToken)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != s.status {
		return fmt.Errorf("%s: answered %d, want %d", s.name, resp.StatusCode, s.status)
	}
	return nil
}

func (s scenario) methodOrGet() string {
	if s.method == "" {
		return http.MethodGet
	}
	return s.method
}

// load runs wrk on the scenario and reads its figures, and the server's CPU
// time over the run.
func (s scenario) load(cpus string, connections int, duration time.Duration) (result, error) {
	args := []string{"-t1", fmt.Sprintf("-c%d", connections), "-d" + duration.String(), "--latency"}
	if s.script != "" {
		args = append(args, "-s", s.script)
	}
	args = append(args, s.url)
	name := "wrk"
	if cpus != "" {
		args = append([]string{"-c", cpus, "wrk"}, args...)
		name = "taskset"
	}
	cpuBefore, err := s.server.CPUTime()
	if err != nil {
		return result{}, err
	}
	start := time.Now()
	out, err := exec.Command(name, args...).CombinedOutput()
	elapsed := time.Since(start)
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	cpuAfter, err := s.server.CPUTime()
	if err != nil {
		return result{}, err
	}
	r, err := parseWrk(s, string(out))
	if err != nil {
		return r, err
	}
	used := cpuAfter - cpuBefore
	r.busy = used.Seconds() / elapsed.Seconds()
	r.cpuPerRequest = used / time.Duration(r.requests)
	return r, nil
}

var (
	rpsLine    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	countLine  = regexp.MustCompile(`(?m)^\s*([0-9]+) requests in `)
	pctLine    = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	errorLines = regexp.MustCompile(`(?m)^\s*(Socket errors:.*|Non-2xx or 3xx responses:.*)$`)
)

// parseWrk reads requests per second and the p50 and p99 latencies from
// wrk's output. Non-2xx/3xx answers are expected only where the scenario
// answers 403.
func parseWrk(s scenario, out string) (result, error) {
	r := result{name: s.name}
	m := rpsLine.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no requests/sec in wrk's output:\n%s", out)
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	if m = countLine.FindStringSubmatch(out); m == nil {
		return r, fmt.Errorf("no request count in wrk's output:\n%s", out)
	}
	r.requests, _ = strconv.ParseInt(m[1], 10, 64)
	if r.requests == 0 {
		return r, fmt.Errorf("wrk sent no request:\n%s", out)
	}
	for _, m := range pctLine.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[3]]
		d := time.Duration(v * float64(unit))
		if m[1] == "50" {
			r.p50 = d
		} else {
			r.p99 = d
		}
	}
	if r.p50 == 0 || r.p99 == 0 {
		return r, fmt.Errorf("no latency distribution in wrk's output:\n%s", out)
	}
	for _, line := range errorLines.FindAllString(out, -1) {
		if s.status == http.StatusForbidden && strings.Contains(line, "Non-2xx") {
			continue
		}
		r.errors += line + "\n"
	}
	return r, nil
}
