package main

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blibli/safelink/internal/procs"
)

// kind is one sort of request in the mix, with the status it must get.
type kind struct {
	name   string
	weight int
	want   int
	send   func(t *traffic, n int) (int, error)
}

// kinds is the traffic mix: mostly clicks, some API calls and forms.
var kinds = []kind{
	{"redirect", 6, http.StatusFound, func(t *traffic, n int) (int, error) {
		return t.get(goPath(fmt.Sprintf("https://www.blibli.com/p/produk-%d", n)))
	}},
	{"warning", 4, http.StatusOK, func(t *traffic, n int) (int, error) {
		return t.get(goPath(fmt.Sprintf("https://toko-%d.example/produk/%d", n%500, n)))
	}},
	{"block (threat list)", 1, http.StatusForbidden, func(t *traffic, n int) (int, error) {
		return t.get(goPath(fmt.Sprintf("https://hadiah-gratis.id/klaim?kode=%d", n)))
	}},
	{"block (rule)", 1, http.StatusForbidden, func(t *traffic, n int) (int, error) {
		return t.get(goPath(fmt.Sprintf("https://promo.promo-palsu.com/%d", n)))
	}},
	{"refused link", 1, http.StatusBadRequest, func(t *traffic, n int) (int, error) {
		return t.get(goPath(fmt.Sprintf("javascript:alert(%d)", n)))
	}},
	{"rewrite", 2, http.StatusOK, func(t *traffic, n int) (int, error) {
		body := fmt.Sprintf(`{"text":"Kak, cek bit.ly/promo-%d atau https://www.blibli.com/p/%d ya"}`, n, n)
		return t.post("http://"+t.internal+"/api/v1/rewrite", "application/json", body, "Bearer "+procs.APIToken)
	}},
	{"continue", 1, http.StatusSeeOther, func(t *traffic, n int) (int, error) {
		return t.postForm(fmt.Sprintf("https://toko-%d.example/lanjut", n%500), continueForm, "/go/continue", "")
	}},
	{"report", 1, http.StatusSeeOther, func(t *traffic, n int) (int, error) {
		return t.postForm(fmt.Sprintf("https://toko-%d.example/lapor", n%500), reportForm, "/report", "&category=scam&comment=penipuan")
	}},
}

// The token fields of the continue and report forms of a warning page.
var (
	continueForm = regexp.MustCompile(`action="/go/continue"[^>]*>\s*<input type="hidden" name="t" value="([^"]+)"`)
	reportForm   = regexp.MustCompile(`action="/report"[^>]*>\s*<input type="hidden" name="t" value="([^"]+)"`)
)

func goPath(link string) string { return "/go?u=" + url.QueryEscape(link) }

// traffic drives the mix from concurrent clients and counts the answers.
type traffic struct {
	public      string // the address of the public listener, a gateway's or the load balancer's
	internal    string // the address of the internal listener, for the rewrite and admin APIs
	client      *http.Client
	concurrency int
	stopping    atomic.Bool
	wg          sync.WaitGroup

	mu        sync.Mutex
	statuses  map[string]map[int]int // by kind name, then status
	wrong     map[string]int         // failed requests and unexpected statuses, by kind
	examples  []string
	measuring bool            // latencies are kept
	latencies []time.Duration // of every request since measure
	measured  time.Time       // when measure was called
}

// newTraffic prepares clients of the gateway whose public and internal
// listeners are at the addresses public and internal.
func newTraffic(public, internal string, concurrency int) *traffic {
	return &traffic{
		public:      public,
		internal:    internal,
		concurrency: concurrency,
		client: &http.Client{
			Transport:     &http.Transport{MaxIdleConnsPerHost: 2 * concurrency},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Timeout:       10 * time.Second,
		},
		statuses: map[string]map[int]int{},
		wrong:    map[string]int{},
	}
}

// addBlockRule blocks promo-palsu.com through the admin API.
func (t *traffic) addBlockRule() error {
	status, err := t.post("http://"+t.internal+"/admin/v1/rules", "application/json",
		`{"match":"domain","value":"promo-palsu.com","action":"block","reason":"soak","created_by":"soak"}`, "Bearer "+procs.AdminToken)
	if err != nil || status != http.StatusCreated {
		return fmt.Errorf("adding the block rule: %d %v", status, err)
	}
	return nil
}

// start runs the clients until stop; each walks the weighted mix.
func (t *traffic) start() {
	var plan []kind
	for _, k := range kinds {
		for range k.weight {
			plan = append(plan, k)
		}
	}
	for c := range t.concurrency {
		t.wg.Go(func() {
			for n := c; !t.stopping.Load(); n += t.concurrency {
				k := plan[n%len(plan)]
				start := time.Now()
				status, err := k.send(t, n)
				t.count(k, status, err, time.Since(start))
			}
		})
	}
}

func (t *traffic) stop() {
	t.stopping.Store(true)
	t.wg.Wait()
}

// measure keeps the latency of every request from now on, for rate.
func (t *traffic) measure() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.measuring, t.measured = true, time.Now()
}

// rate returns the requests since measure, how many a second, and the
// latency of the slowest of each hundred: the 99th percentile.
func (t *traffic) rate() (requests int, perSecond float64, p99 time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.latencies) == 0 {
		return 0, 0, 0
	}
	slices.Sort(t.latencies)
	return len(t.latencies), float64(len(t.latencies)) / time.Since(t.measured).Seconds(), percentile(t.latencies, 99)
}

// percentile returns the p-th percentile of sorted, which is not empty.
func percentile(sorted []time.Duration, p int) time.Duration {
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

func (t *traffic) count(k kind, status int, err error, took time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.measuring {
		t.latencies = append(t.latencies, took)
	}
	if t.statuses[k.name] == nil {
		t.statuses[k.name] = map[int]int{}
	}
	if err == nil {
		t.statuses[k.name][status]++
	}
	if err != nil || status != k.want {
		t.wrong[k.name]++
		if len(t.examples) < 5 {
			t.examples = append(t.examples, fmt.Sprintf("%s: status %d, error %v", k.name, status, err))
		}
	}
}

func (t *traffic) total() int {
	return t.statusCount(func(int) bool { return true }) + t.wrongCount()
}

func (t *traffic) serverErrors() int {
	return t.statusCount(func(status int) bool { return status >= 500 })
}

// statusCount counts the answers, of every kind, whose status passes keep.
func (t *traffic) statusCount(keep func(status int) bool) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, byStatus := range t.statuses {
		for status, c := range byStatus {
			if keep(status) {
				n += c
			}
		}
	}
	return n
}

func (t *traffic) wrongCount() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, c := range t.wrong {
		n += c
	}
	return n
}

// report prints the count of each status by kind, and the first failures.
func (t *traffic) report(w io.Writer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(w, "%-20s %10s  %s\n", "kind", "wrong", "statuses")
	for _, k := range kinds {
		var parts []string
		statuses := make([]int, 0, len(t.statuses[k.name]))
		for s := range t.statuses[k.name] {
			statuses = append(statuses, s)
		}
		slices.Sort(statuses)
		for _, s := range statuses {
			parts = append(parts, fmt.Sprintf("%d×%d", s, t.statuses[k.name][s]))
		}
		fmt.Fprintf(w, "%-20s %10d  %s\n", k.name, t.wrong[k.name], strings.Join(parts, " "))
	}
	for _, e := range t.examples {
		fmt.Fprintln(w, "  "+e)
	}
}

func (t *traffic) get(path string) (int, error) {
	status, _, err := t.do(http.MethodGet, "http://"+t.public+path, "", "", "", true)
	return status, err
}

func (t *traffic) post(target, contentType, body, auth string) (int, error) {
	status, _, err := t.do(http.MethodPost, target, contentType, body, auth, false)
	return status, err
}

// postForm opens the warning page of link, takes the token of the form
// that form matches, and posts it to path with the extra fields, as a
// browser on the gateway's page does.
func (t *traffic) postForm(link string, form *regexp.Regexp, path, extra string) (int, error) {
	status, page, err := t.do(http.MethodGet, "http://"+t.public+goPath(link), "", "", "", false)
	if err != nil || status != http.StatusOK {
		return status, err
	}
	m := form.FindSubmatch(page)
	if m == nil {
		return 0, fmt.Errorf("no form for %s on the warning page", path)
	}
	body := "t=" + url.QueryEscape(html.UnescapeString(string(m[1]))) + extra
	status, _, err = t.do(http.MethodPost, "http://"+t.public+path, "application/x-www-form-urlencoded", body, "", true)
	return status, err
}

// do sends one request; a form post carries Sec-Fetch-Site: same-origin
// as a browser's does. With discard it reads the body without keeping it.
func (t *traffic) do(method, target, contentType, body, auth string, discard bool) (int, []byte, error) {
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if contentType == "application/x-www-form-urlencoded" {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	if discard {
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil, err
	}
	var buf bytes.Buffer
	_, err = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes(), err
}
