package applinks_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blibli/safelink/gateway/applinks"
)

func TestLoadChecksTheFiles(t *testing.T) {
	f, err := applinks.Load(filepath.Join("testdata", "apple-app-site-association"), filepath.Join("testdata", "assetlinks.json"))
	if err != nil || len(f.Apple) == 0 || len(f.Android) == 0 {
		t.Fatalf("the sample files: %v", err)
	}
	if f, err := applinks.Load("", ""); err != nil || f.Apple != nil || f.Android != nil {
		t.Errorf("no files: %+v, %v", f, err)
	}
	dir := t.TempDir()
	write := func(content string) string {
		path := filepath.Join(dir, "f.json")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, tc := range []struct {
		apple, android, want string
	}{
		{apple: `{"webcredentials":{}}`, want: `no "applinks" object`},
		{apple: `{"applinks":{}}`, want: "applinks.details"},
		{apple: `[1]`, want: "not the expected JSON"},
		{apple: `{"applinks":{"details":[]}} {}`, want: "more than one JSON value"},
		{apple: `{"applinks":{"details":[]},"x":"` + strings.Repeat("a", applinks.MaxSize) + `"}`, want: "at most 131072"},
		{android: `[]`, want: "no statement"},
		{android: `{}`, want: "not the expected JSON"},
		{android: `[{"relation":["delegate_permission/common.handle_all_urls"],"target":{"namespace":"web","site":"https://x"}}]`, want: "statement 1"},
		{android: `[{"relation":[],"target":{"namespace":"android_app","package_name":"p","sha256_cert_fingerprints":["AA"]}}]`, want: "statement 1"},
	} {
		var err error
		if tc.apple != "" {
			_, err = applinks.Load(write(tc.apple), "")
		} else {
			_, err = applinks.Load("", write(tc.android))
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.60s%.60s: %v, want an error about %s", tc.apple, tc.android, err, tc.want)
		}
	}
	if _, err := applinks.Load(filepath.Join(dir, "missing"), ""); err == nil {
		t.Error("a missing file was accepted")
	}
}

// FuzzCheck checks that what the checks accept is one JSON value of at
// most MaxSize bytes, as both platforms need.
func FuzzCheck(f *testing.F) {
	for _, name := range []string{"apple-app-site-association", "assetlinks.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"applinks":{"details":[]}}garbage`))
	f.Add([]byte(`[{"relation":["x"],"target":{"namespace":"android_app","package_name":"p","sha256_cert_fingerprints":["A"]}}] `))
	f.Fuzz(func(t *testing.T, b []byte) {
		for name, check := range map[string]func([]byte) error{"apple": applinks.CheckApple, "android": applinks.CheckAndroid} {
			if check(b) == nil && (len(b) > applinks.MaxSize || !json.Valid(b)) {
				t.Fatalf("%s accepted %q", name, b)
			}
		}
	})
}
