package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"syscall"
	"testing"
)

// TestServeAppLinks serves the association files named by the settings,
// and /readyz says which are served.
func TestServeAppLinks(t *testing.T) {
	t.Setenv("SAFELINK_ASSETLINKS", "../../gateway/applinks/testdata/assetlinks.json")
	p := startGateway(t, "-apple-app-site-association", "../../gateway/applinks/testdata/apple-app-site-association")
	for _, path := range []string{"/.well-known/apple-app-site-association", "/.well-known/assetlinks.json"} {
		resp, err := noRedirects.Get("http://" + p.public + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" || !json.Valid(body) {
			t.Errorf("%s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	if apps, _ := p.ready(t)["app_links"].(map[string]any); apps["apple"] != true || apps["android"] != true {
		t.Errorf("/readyz app_links: %v", apps)
	}
}

// TestAppLinksReload: SIGHUP reads the association files again.
func TestAppLinksReload(t *testing.T) {
	file := filepath.Join(t.TempDir(), "assetlinks.json")
	statement := `[{"relation":["delegate_permission/common.handle_all_urls"],"target":{"namespace":"android_app","package_name":"%s","sha256_cert_fingerprints":["AA:BB"]}}]`
	writeFile(t, file, fmt.Sprintf(statement, "blibli.mobile.lama"))
	p := startGateway(t, "-assetlinks", file)
	p.eventually(t, "/.well-known/assetlinks.json", "blibli.mobile.lama")
	writeFile(t, file, fmt.Sprintf(statement, "blibli.mobile.baru"))
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	p.eventually(t, "/.well-known/assetlinks.json", "blibli.mobile.baru")
}
