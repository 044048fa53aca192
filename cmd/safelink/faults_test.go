package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blibli/safelink/internal/fakesafebrowsing"
	"github.com/blibli/safelink/internal/redistest"
)

// metric returns the value of one sample of the gateway's /metrics, such
// as `safelink_events_dropped_total` or
// `safelink_threat_lookups_total{result="unverified"}`; 0 when absent.
func (p *gatewayProcess) metric(t *testing.T, sample string) float64 {
	t.Helper()
	for line := range strings.Lines(p.scrape(t)) {
		if value, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), sample+" "); ok {
			v, err := strconv.ParseFloat(value, 64)
			if err != nil {
				t.Fatalf("metric %s: %v", sample, err)
			}
			return v
		}
	}
	return 0
}

func goLink(link string) string { return "/go?u=" + url.QueryEscape(link) }

// mixedLinks are /go links of each kind of answer that needs no rule, with
// the status each must get.
func mixedLinks() map[string]int {
	return map[string]int{
		goLink("https://www.blibli.com/"): http.StatusFound,
		goLink("https://toko-sepatu.id/"): http.StatusOK,
		goLink("javascript:alert(1)"):     http.StatusBadRequest,
	}
}

// startFakeSafeBrowsing serves the fake Safe Browsing API with malware
// listed on each of hosts.
func startFakeSafeBrowsing(t *testing.T, failure fakesafebrowsing.Failure, hosts ...string) *fakesafebrowsing.Server {
	t.Helper()
	var list strings.Builder
	for _, h := range hosts {
		list.WriteString("malware https://" + h + "/\n")
	}
	entries, err := fakesafebrowsing.ParseThreats(strings.NewReader(list.String()))
	if err != nil {
		t.Fatal(err)
	}
	fake, err := fakesafebrowsing.New(fakesafebrowsing.Config{Threats: entries, MinimumWait: time.Second, CacheDuration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	fake.SetFailure(failure)
	if err := fake.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Stop() })
	return fake
}

func safeBrowsingState(body map[string]any) map[string]any {
	sb, _ := body["safebrowsing"].(map[string]any)
	return sb
}

// The Safe Browsing server fails the running gateway in every way: 500s,
// garbage, slower than the budget, gone. A listed link then gets the
// warning marked unverified, never the redirect and never a 5xx; an
// official link still redirects; the lookups are counted as unverified.
func TestSafeBrowsingFaultsInTheProcess(t *testing.T) {
	faults := []struct {
		name  string
		host  string
		apply func(*fakesafebrowsing.Server)
	}{
		{"500", "listed-500.example", func(f *fakesafebrowsing.Server) { f.SetFailure(fakesafebrowsing.FailureStatus500) }},
		{"garbage", "listed-garbage.example", func(f *fakesafebrowsing.Server) { f.SetFailure(fakesafebrowsing.FailureGarbage) }},
		{"slow", "listed-slow.example", func(f *fakesafebrowsing.Server) {
			f.SetFailure(fakesafebrowsing.FailureNone)
			f.SetDelay(5 * time.Second)
		}},
		{"down", "listed-down.example", func(f *fakesafebrowsing.Server) { f.SetDelay(0); f.Stop() }},
	}
	hosts := []string{"listed.example"}
	for _, f := range faults {
		hosts = append(hosts, f.host)
	}
	fake := startFakeSafeBrowsing(t, fakesafebrowsing.FailureNone, hosts...)
	p := startGateway(t, "-safebrowsing-api-key", "test-key", "-safebrowsing-url", fake.URL(), "-safebrowsing-timeout", "300ms", "-log-format", "json")
	p.waitReady(t, 10*time.Second, "with loaded lists", func(body map[string]any) bool { return safeBrowsingState(body)["state"] == "ready" })
	if status, _ := p.get(t, goLink("https://listed.example/")); status != http.StatusForbidden {
		t.Fatalf("a listed link with a working server: %d, want 403", status)
	}

	for _, f := range faults {
		f.apply(fake)
		start := time.Now()
		status, body := p.get(t, goLink("https://"+f.host+"/hadiah"))
		took := time.Since(start)
		if status != http.StatusOK || !strings.Contains(body, `class="reason-unverified"`) {
			t.Errorf("%s: a listed link got %d, unverified shown %v; want the unverified warning", f.name, status, strings.Contains(body, "reason-unverified"))
		}
		// The budget is 300ms; a generous bound that is still well under
		// the 5s the slow server takes.
		if took > 3*time.Second {
			t.Errorf("%s: answered after %v", f.name, took)
		}
		if status, _ := p.get(t, goLink("https://www.blibli.com/")); status != http.StatusFound {
			t.Errorf("%s: an official link got %d", f.name, status)
		}
		if status, _ := p.get(t, goLink("https://toko-sepatu.id/")); status != http.StatusOK {
			t.Errorf("%s: an unlisted external link got %d", f.name, status)
		}
	}
	if got := p.metric(t, `safelink_threat_lookups_total{result="unverified"}`); got != float64(len(faults)) {
		t.Errorf("unverified lookups counted: %v, want %d", got, len(faults))
	}
	if got := p.metric(t, `safelink_threat_lookups_total{result="listed"}`); got != 1 {
		t.Errorf("listed lookups counted: %v, want 1", got)
	}
}

// A gateway whose Safe Browsing server fails from the start never loads
// its lists: /readyz says "loading" with the problem, every external link
// gets the unverified warning, official links redirect.
func TestSafeBrowsingNeverLoadsInTheProcess(t *testing.T) {
	fake := startFakeSafeBrowsing(t, fakesafebrowsing.FailureStatus500, "listed.example")
	p := startGateway(t, "-safebrowsing-api-key", "test-key", "-safebrowsing-url", fake.URL(), "-log-format", "json")
	p.waitReady(t, 10*time.Second, "reporting the failed download", func(body map[string]any) bool {
		sb := safeBrowsingState(body)
		return sb["state"] == "loading" && sb["problem"] != nil
	})
	for link, want := range map[string]int{
		"https://listed.example/": http.StatusOK,
		"https://toko-sepatu.id/": http.StatusOK,
		"https://www.blibli.com/": http.StatusFound,
	} {
		status, body := p.get(t, goLink(link))
		if status != want || (want == http.StatusOK && !strings.Contains(body, `class="reason-unverified"`)) {
			t.Errorf("%s: %d, want %d (unverified)", link, status, want)
		}
	}
	if resp, err := noRedirects.Get("http://" + p.internal + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz without lists: %v %v; the gateway still serves, so it stays ready", resp, err)
	} else {
		resp.Body.Close()
	}
}

// A full event queue drops events and counts them; /go answers every
// request as before.
func TestEventQueueFullDropsAndCounts(t *testing.T) {
	rs := redistest.Start(t)
	p := startGateway(t, "-redis-url", rs.URL(), "-token-key", testTokenKey, "-event-queue", "1", "-log-format", "json")
	p.waitReady(t, 5*time.Second, "synced with Redis", rulesSynced)
	links := mixedLinks()
	const workers, rounds = 8, 40
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		wrong []string
	)
	client := &http.Client{CheckRedirect: noRedirects.CheckRedirect, Timeout: 10 * time.Second}
	for range workers {
		wg.Go(func() {
			for range rounds {
				for link, want := range links {
					resp, err := client.Get("http://" + p.public + link)
					mu.Lock()
					if err != nil {
						wrong = append(wrong, err.Error())
					} else if resp.Body.Close(); resp.StatusCode != want {
						wrong = append(wrong, link+": "+resp.Status)
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if len(wrong) > 0 {
		t.Fatalf("%d requests went wrong with a full queue, first: %v", len(wrong), wrong[:min(5, len(wrong))])
	}
	requests := float64(workers * rounds * len(links))
	dropped := p.metric(t, "safelink_events_dropped_total")
	if dropped == 0 {
		t.Error("no event dropped through a queue of one under load")
	}
	p.waitReady(t, 10*time.Second, "done with the queue", func(body map[string]any) bool {
		ev, _ := body["events"].(map[string]any)
		return ev["Enqueued"] == ev["Written"]
	})
	written := p.metric(t, "safelink_events_written_total")
	if written+dropped != requests {
		t.Errorf("%v events written and %v dropped for %v requests", written, dropped, requests)
	}
	t.Logf("%v requests through a queue of one: %v events written, %v dropped", requests, written, dropped)
}
