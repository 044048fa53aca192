package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// formToken finds the value of the last form token (name="t") of a page:
// the report form's.
var formToken = regexp.MustCompile(`name="t" value="([^"]+)"`)

// reportAs opens the warning page of link on p as the client at addr (sent
// through the trusted proxy's header) and reports the link from it.
func (p *gatewayProcess) reportAs(t *testing.T, addr, link string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+p.public+"/go?u="+url.QueryEscape(link), nil)
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	found := formToken.FindAllStringSubmatch(string(page), -1)
	if resp.StatusCode != http.StatusOK || len(found) == 0 {
		t.Fatalf("warning page of %s: %d without a report form", link, resp.StatusCode)
	}
	form := url.Values{"t": {found[len(found)-1][1]}, "category": {"scam"}}
	req, _ = http.NewRequest(http.MethodPost, "http://"+p.public+"/report", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", addr)
	resp, err = noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("report of %s by %s: %d", link, addr, resp.StatusCode)
	}
}

// TestReportsWarnEveryReplicaWithinASecond has three clients report a new
// domain on one replica: the other shows the reported reason within a
// second, and the audit log names the reports as the author. An official
// domain reported as often stays a redirect.
func TestReportsWarnEveryReplicaWithinASecond(t *testing.T) {
	rs := redistest.Start(t)
	proxy := []string{"-client-ip-header", "X-Forwarded-For", "-trusted-proxies", "127.0.0.1/32", "-event-salt", "a salt of sixteen bytes or more"}
	a, b := redisGateway(t, rs.URL(), proxy...), redisGateway(t, rs.URL(), proxy...)
	const link = "https://promo.hadiah-kilat.xyz/klaim"
	for i := 1; i <= 2; i++ {
		a.reportAs(t, fmt.Sprintf("203.0.113.%d", i), link)
		a.reportAs(t, fmt.Sprintf("203.0.113.%d", i), link) // the same client twice counts once
	}
	time.Sleep(200 * time.Millisecond)
	if _, body := b.get(t, "/go?u="+url.QueryEscape(link)); strings.Contains(body, "reason-reported") {
		t.Fatal("two clients' reports made the domain reported")
	}
	a.reportAs(t, "203.0.113.3", link)
	reported := time.Now()
	for {
		status, body := b.get(t, "/go?u="+url.QueryEscape("https://hadiah-kilat.xyz/lain"))
		if status == http.StatusOK && strings.Contains(body, "reason-reported") {
			break
		}
		if time.Since(reported) > time.Second {
			for len(a.logs) > 0 {
				t.Log(<-a.logs)
			}
			t.Fatalf("the other replica does not show the reported reason a second after the third report: %d", status)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("third report on one replica, reported reason on the other after %v", time.Since(reported).Round(time.Millisecond))

	var audit []struct {
		Op     string `json:"op"`
		Author string `json:"author"`
		Rule   struct {
			Value     string    `json:"value"`
			Action    string    `json:"action"`
			ExpiresAt time.Time `json:"expires_at"`
		} `json:"rule"`
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+b.internal+"/admin/v1/audit", nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&struct{ Changes any }{&audit})
	resp.Body.Close()
	if err != nil || len(audit) != 1 || audit[0].Author != "reports" || audit[0].Rule.Value != "hadiah-kilat.xyz" ||
		audit[0].Rule.Action != "reported" || time.Until(audit[0].Rule.ExpiresAt) < 23*time.Hour || time.Until(audit[0].Rule.ExpiresAt) > 24*time.Hour {
		t.Errorf("audit log: %+v, %v", audit, err)
	}

	const official = "https://www.blibli.com:8443/promo" // warns (port), so it has a report form
	for i := 1; i <= 5; i++ {
		a.reportAs(t, fmt.Sprintf("198.51.100.%d", i), official)
	}
	time.Sleep(200 * time.Millisecond)
	if status, _ := b.get(t, "/go?u="+url.QueryEscape("https://www.blibli.com/promo")); status != http.StatusFound {
		t.Errorf("an official domain reported by five clients: %d, want a redirect", status)
	}
	if _, body := b.get(t, "/go?u="+url.QueryEscape(official)); strings.Contains(body, "reason-reported") {
		t.Error("an official domain got the reported reason")
	}
}

// dismiss dismisses site's reports as a false positive through p's
// console, with the admin token as a script would.
func (p *gatewayProcess) dismiss(t *testing.T, site, why string) {
	t.Helper()
	form := url.Values{"site": {site}, "why": {why}}
	req, _ := http.NewRequest(http.MethodPost, "http://"+p.internal+"/console/reports/dismiss", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dismiss %s on %s: %d", site, p.internal, resp.StatusCode)
	}
}

// TestADismissalOnOneReplicaStopsReportsOnAnother has a domain reported,
// dismissed as a false positive on one replica: the other stops warning
// about it within a second, and new reporters on it add no reported rule.
func TestADismissalOnOneReplicaStopsReportsOnAnother(t *testing.T) {
	rs := redistest.Start(t)
	proxy := []string{"-client-ip-header", "X-Forwarded-For", "-trusted-proxies", "127.0.0.1/32", "-event-salt", "a salt of sixteen bytes or more"}
	a, b := redisGateway(t, rs.URL(), proxy...), redisGateway(t, rs.URL(), proxy...)
	const link = "https://promo.toko-mitra.xyz/diskon"
	warnsReported := func(p *gatewayProcess) bool {
		_, body := p.get(t, "/go?u="+url.QueryEscape(link))
		return strings.Contains(body, "reason-reported")
	}
	for i := 1; i <= 3; i++ {
		b.reportAs(t, fmt.Sprintf("203.0.113.%d", i), link)
	}
	for deadline := time.Now().Add(time.Second); !warnsReported(b); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("three reports did not make the domain reported")
		}
	}

	a.dismiss(t, "toko-mitra.xyz", "toko resmi mitra, sudah dicek")
	dismissed := time.Now()
	for warnsReported(b) {
		if time.Since(dismissed) > time.Second {
			t.Fatal("the other replica still warns about the dismissed domain a second after the dismissal")
		}
		time.Sleep(5 * time.Millisecond)
	}
	for i := 4; i <= 8; i++ {
		b.reportAs(t, fmt.Sprintf("203.0.113.%d", i), link)
	}
	time.Sleep(200 * time.Millisecond)
	if warnsReported(a) || warnsReported(b) {
		t.Error("reports on the other replica made the dismissed domain reported again")
	}
	client := redis.NewClient(&redis.Options{Addr: rs.Addr()})
	defer client.Close()
	keys, err := client.Keys(context.Background(), "*dismissals*").Result()
	slices.Sort(keys)
	if err != nil || !slices.Equal(keys, []string{"safelink:{dismissals}", "safelink:{dismissals}:log"}) {
		t.Errorf("the dismissal's keys: %v, %v; want the hash and its log under the prefix, one hash tag", keys, err)
	}
}
