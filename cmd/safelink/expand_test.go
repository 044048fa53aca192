package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/internal/fakeshortener"
)

// TestServeExpandsThroughTheProxy runs the gateway in proxy mode, set by
// its environment variables, with a forward proxy on loopback standing in
// for the internet and its shorteners: a click on a shortener link gets
// the destination's verdict, the proxy is asked only for the shorteners'
// links, and the proxy's password reaches no log line.
func TestServeExpandsThroughTheProxy(t *testing.T) {
	w := fakeshortener.NewWorld(t)
	proxy := fakeshortener.NewProxy(t, w.Net)
	proxyURL := proxy.ProxyURL()
	proxyURL.User = url.UserPassword("squid", "proxy-pass-4d3c")
	t.Setenv("SAFELINK_EXPAND_PROXY", proxyURL.String())
	t.Setenv("SAFELINK_EXPAND_TIMEOUT", "3s")
	p := startGateway(t, "-expand=true", "-log-format", "json")
	w.Short.Handle("/ip", fakeshortener.Route{Location: "http://10.0.0.1/admin"})
	tests := []struct {
		link, location, text string
		status               int
	}{
		{w.Chain("proxy-external", 3, "https://"+fakeshortener.Destination+"/klaim"), "", "Kami sudah cek ke mana tautan pendek ini mengarah", http.StatusOK},
		{w.Chain("proxy-official", 2, "https://www.blibli.com/promo"), "https://www.blibli.com/promo", "", http.StatusFound},
		{"http://bit.ly/ip", "", "Tujuan tautan pendek ini belum bisa kami periksa", http.StatusOK},
	}
	for _, tt := range tests {
		resp, err := noRedirects.Get("http://" + p.public + "/go?u=" + url.QueryEscape(tt.link))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location || !strings.Contains(string(body), tt.text) {
			t.Errorf("%s: %d %q, want %d %q with %q", tt.link, resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location, tt.text)
		}
	}
	asked := proxy.Requests()
	if len(asked) != 6 {
		t.Errorf("the proxy was asked %v, want the 5 hops and the one shortener link refused after", asked)
	}
	for _, a := range asked {
		if strings.Contains(a, "10.0.0.1") || strings.Contains(a, fakeshortener.Destination) || strings.Contains(a, "blibli.com") {
			t.Errorf("the proxy was asked for %s", a)
		}
	}
	if err := w.Untouched(); err != nil {
		t.Error(err)
	}
	p.cmd.Process.Kill()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case entry, ok := <-p.logs:
			if !ok {
				return
			}
			line, _ := json.Marshal(entry)
			if strings.Contains(string(line), "proxy-pass-4d3c") {
				t.Errorf("a log line holds the proxy's password: %s", line)
			}
		case <-deadline:
			t.Fatal("the log did not end")
		}
	}
}
