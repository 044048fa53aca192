package gateway_test

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/applinks"
)

// TestAppLinksAreServedAsJSON: iOS and Android fetch the association files
// at their well-known paths and need a 200 of application/json, without a
// redirect; a gateway without them answers 404.
func TestAppLinksAreServedAsJSON(t *testing.T) {
	files, err := applinks.Load(filepath.Join("applinks", "testdata", "apple-app-site-association"), filepath.Join("applinks", "testdata", "assetlinks.json"))
	if err != nil {
		t.Fatal(err)
	}
	load := embeddedBundle(nil)
	g, err := gateway.New(gateway.Config{HomeURL: "https://www.blibli.com/"}, func() (*gateway.Bundle, error) {
		b, err := load()
		if b != nil {
			b.AppLinks = files
		}
		return b, err
	})
	if err != nil {
		t.Fatal(err)
	}
	without := newGateway(t, gateway.Config{})
	for path, want := range map[string][]byte{applinks.ApplePath: files.Apple, applinks.AndroidPath: files.Android} {
		r := do(t, g.Public(), http.MethodGet, path)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" || r.body != string(want) || r.header.Get("Location") != "" {
			t.Errorf("%s: %d %q, body equal %v", path, r.status, r.header.Get("Content-Type"), r.body == string(want))
		}
		if r := do(t, g.Public(), http.MethodHead, path); r.status != http.StatusOK {
			t.Errorf("HEAD %s: %d", path, r.status)
		}
		if r := do(t, without.Public(), http.MethodGet, path); r.status != http.StatusNotFound {
			t.Errorf("%s without the file: %d, want 404", path, r.status)
		}
	}
}
