package main

import (
	"net/http"
	"path/filepath"
	"testing"
)

// TestServeScannersFromTheAllowlistDir: a scanners.txt in the allowlist
// directory replaces the embedded one; /readyz names it, and a request
// whose User-Agent it matches is counted as a scan, not a decision.
func TestServeScannersFromTheAllowlistDir(t *testing.T) {
	dir := writeAllowlist(t, "blibli.com\n")
	writeFile(t, filepath.Join(dir, "scanners.txt"), "PratinjauBot\n")
	p := startGateway(t, "-allowlist-dir", dir)
	if sc, _ := p.ready(t)["scanners"].(map[string]any); sc["source"] != dir || sc["patterns"] != float64(1) {
		t.Errorf("/readyz scanners: %v", sc)
	}
	for _, ua := range []string{"PratinjauBot/1.0", "WhatsApp/2.23", "Mozilla/5.0 (Linux; Android 13) Chrome/120.0 Mobile"} {
		req, err := http.NewRequest(http.MethodGet, "http://"+p.public+goLink("https://toko-sepatu.id/"), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("User-Agent", ua)
		resp, err := noRedirects.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", ua, resp.StatusCode)
		}
	}
	if scans, decisions := p.metric(t, `safelink_scans_total{scanner="PratinjauBot"}`), p.metric(t, `safelink_decisions_total{action="warn"}`); scans != 1 || decisions != 2 {
		t.Errorf("%v scans and %v decisions; want the own pattern's one scan, and WhatsApp, not in this file, a decision", scans, decisions)
	}
}
