package main

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/adminapi"
)

// A forwarded address counts only from a configured proxy: never from
// loopback or a private address that is not one, which echo would trust
// by default.
func TestForwardedAddressesAreTrustedOnlyFromTheProxies(t *testing.T) {
	tests := []struct {
		header, proxies string
		peer            string
		forwarded       string // the header's value
		want            string
	}{
		{"", "", "127.0.0.1", "198.51.100.1", "127.0.0.1"},
		{"X-Forwarded-For", "10.0.0.0/8", "127.0.0.1", "198.51.100.1", "127.0.0.1"},
		{"X-Forwarded-For", "10.0.0.0/8", "192.168.1.5", "198.51.100.1", "192.168.1.5"},
		{"X-Forwarded-For", "10.0.0.0/8", "169.254.0.9", "198.51.100.1", "169.254.0.9"},
		{"X-Forwarded-For", "10.0.0.0/8", "10.1.2.3", "198.51.100.1", "198.51.100.1"},
		{"X-Forwarded-For", "10.0.0.0/8", "10.1.2.3", "198.51.100.1, 127.0.0.1", "127.0.0.1"},
		{"X-Forwarded-For", "10.0.0.0/8, 192.168.7.1", "192.168.7.1", "198.51.100.1, 10.9.9.9", "198.51.100.1"},
		{"X-Forwarded-For", "127.0.0.1/32", "127.0.0.1", "198.51.100.1", "198.51.100.1"},
		{"x-real-ip", "127.0.0.1", "127.0.0.1", "198.51.100.2", "198.51.100.2"},
		{"X-Real-IP", "127.0.0.1", "127.0.0.2", "198.51.100.2", "127.0.0.2"},
		{"X-Real-IP", "::1", "::1", "2001:db8::7", "2001:db8::7"},
		{"X-Real-IP", "::1", "127.0.0.1", "2001:db8::7", "127.0.0.1"},
	}
	for _, tt := range tests {
		s := &sharedFlags{clientIPHeader: tt.header, trustedProxies: tt.proxies}
		extract, err := s.clientIP()
		if err != nil {
			t.Fatalf("%s from %s: %v", tt.header, tt.proxies, err)
		}
		req := httptest.NewRequest(http.MethodGet, "/go", nil)
		req.RemoteAddr = remoteAddr(tt.peer)
		req.Header.Set("X-Forwarded-For", tt.forwarded)
		req.Header.Set("X-Real-IP", tt.forwarded)
		if got := extract(req); got != tt.want {
			t.Errorf("%s trusted from %q, from %s forwarding %q: %s, want %s", tt.header, tt.proxies, tt.peer, tt.forwarded, got, tt.want)
		}
	}
}

// remoteAddr is the RemoteAddr of a connection from ip.
func remoteAddr(ip string) string {
	if strings.Contains(ip, ":") {
		return "[" + ip + "]:40000"
	}
	return ip + ":40000"
}

var reportToken = regexp.MustCompile(`action="/report"[^>]*>\s*<input type="hidden" name="t" value="([^"]+)"`)

// report posts a report from this machine with a forged X-Forwarded-For
// and returns the status.
func (p *gatewayProcess) report(t *testing.T, forwardedFor string) int {
	t.Helper()
	_, page := p.get(t, "/go?u="+url.QueryEscape("https://bit.ly/promo"))
	m := reportToken.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the warning page has no report form")
	}
	form := url.Values{"t": {html.UnescapeString(m[1])}, "category": {"scam"}}
	req := mustRequest(t, http.MethodPost, "http://"+p.public+"/report", form.Encode(), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin", "X-Forwarded-For": forwardedFor,
	})
	return send(t, req, false)
}

// From 127.0.0.1, a forged X-Forwarded-For changes neither the client of
// the rate limits nor its pseudonym in events, unless 127.0.0.1 is a
// configured proxy.
func TestForgedForwardedForIsIgnoredUnlessFromAProxy(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		args := []string{"-report-per-minute", "2", "-admin-tokens", testAdminTokens, "-log-format", "json"}
		if trusted {
			args = append(args, "-client-ip-header", "X-Forwarded-For", "-trusted-proxies", "127.0.0.1/32")
		}
		p := startGateway(t, args...)
		var statuses []int
		for _, forged := range []string{"198.51.100.1", "198.51.100.2", "198.51.100.3"} {
			statuses = append(statuses, p.report(t, forged))
		}
		// Two reports a minute from one client; three clients when the
		// forwarded addresses count.
		wantStatuses, accepted, clients := []int{303, 303, 429}, 2, 1
		if trusted {
			wantStatuses, accepted, clients = []int{303, 303, 303}, 3, 3
		}
		if !slices.Equal(statuses, wantStatuses) {
			t.Errorf("trusted %v: three reports from three forwarded addresses got %v, want %v", trusted, statuses, wantStatuses)
		}
		if users := reporters(t, p, accepted); len(users) != clients {
			t.Errorf("trusted %v: the reports came from %d pseudonyms, want %d", trusted, len(users), clients)
		}
	}
}

// reporters waits until a gateway's statistics hold n reports and returns
// the pseudonyms of their clients.
func reporters(t *testing.T, p *gatewayProcess, n int) map[string]bool {
	t.Helper()
	api, err := adminapi.NewClient("http://"+p.internal, testAdminToken, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		stats, err := api.Stats(t.Context(), time.Hour, 10)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Reports >= int64(n) || time.Now().After(deadline) {
			users := map[string]bool{}
			for _, r := range stats.RecentReports {
				users[r.UserHash] = true
			}
			return users
		}
	}
}

// The console trusts the email of an authenticating proxy only from
// -console-trusted-proxies, checked like -trusted-proxies.
func TestConsoleTrustsTheProxysEmailOnlyFromItsSetting(t *testing.T) {
	for _, bad := range []string{"0.0.0.0/0", "::/0", "proxy.internal", "10.0.0.1/33"} {
		s := &sharedFlags{consoleTrustedProxies: bad}
		if _, err := s.console(); err == nil || !strings.Contains(err.Error(), "console-trusted-proxies") {
			t.Errorf("-console-trusted-proxies %q: %v, want an error naming the setting", bad, err)
		}
	}
	p := startGateway(t, "-console-trusted-proxies", "127.0.0.1")
	other := startGateway(t)
	for _, tt := range []struct {
		p    *gatewayProcess
		want int
	}{{p, http.StatusOK}, {other, http.StatusForbidden}} {
		req := mustRequest(t, http.MethodGet, "http://"+tt.p.internal+"/console/rules", "", map[string]string{"X-Auth-Request-Email": "ayu@blibli.example"})
		if got := send(t, req, false); got != tt.want {
			t.Errorf("the proxy's email from 127.0.0.1: %d, want %d", got, tt.want)
		}
	}
}
