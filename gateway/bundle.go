package gateway

import (
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/blibli/safelink/gateway/applinks"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/pages"
	"github.com/blibli/safelink/gateway/scanners"
	"github.com/blibli/safelink/gateway/signals"
	"github.com/blibli/safelink/gateway/verdict"
)

// Bundle is everything the gateway can reload without a restart: the
// decision policy (allowlist), the signal patterns, the link-preview and
// scanner patterns, the page templates, the static files and the app
// association files.
type Bundle struct {
	Policy *verdict.Policy
	// Signals finds the scam signals of the messages the rewrite API
	// reads; nil finds none.
	Signals *signals.Detector
	// Scanners recognizes link-preview bots and scanners; nil treats every
	// GET as a person's click.
	Scanners *scanners.List
	Pages    *pages.Set
	Static   fs.FS
	// AppLinks are the files that let the Blibli apps open the gateway's
	// links; empty ones are not served.
	AppLinks applinks.Files
	// Status describes where the parts came from, for /readyz.
	Status map[string]any
}

// Loader reads a fresh Bundle from wherever the files live.
type Loader func() (*Bundle, error)

// loaded is a checked bundle in the form the handlers use. It is never
// changed once stored; a reload stores a new one.
type loaded struct {
	policy   *verdict.Policy
	messages *click.Messages // what the rewrite API needs of the bundle
	scanners *scanners.List
	appLinks applinks.Files
	caches   bundleCaches
	pages    *pages.Set
	static   staticFiles
	homeURL  string
	status   map[string]any
}

// prepare loads a bundle and checks it whole: the home URL must stay
// official, every page variant must render, every static file must read.
func (g *Gateway) prepare() (*loaded, error) {
	b, err := g.load()
	if err != nil {
		return nil, err
	}
	home := b.Policy.Decide(g.cfg.HomeURL)
	if home.Action != verdict.Redirect {
		return nil, fmt.Errorf("home URL %q must be an https URL on an official domain (it would get %s)", g.cfg.HomeURL, home.Action)
	}
	if err := CheckPages(b.Pages, home.Target); err != nil {
		return nil, err
	}
	hints, err := ReadHints(b.Pages)
	if err != nil {
		return nil, err
	}
	static, err := readStatic(b.Static)
	if err != nil {
		return nil, err
	}
	messages := &click.Messages{Policy: b.Policy, Rewriter: g.cfg.Rewriter, Detector: b.Signals, Hints: hints}
	return &loaded{policy: b.Policy, messages: messages, scanners: b.Scanners, appLinks: b.AppLinks, caches: newBundleCaches(b.Policy),
		pages: b.Pages, static: static, homeURL: home.Target, status: b.Status}, nil
}

// Reload loads and checks a new bundle and switches to it at once. When
// anything is wrong it keeps serving the last good bundle and returns the
// error, which /readyz shows until a reload succeeds.
func (g *Gateway) Reload() error {
	l, err := g.prepare()
	g.reloads.record(err)
	if err != nil {
		g.log.Error("reload failed; serving the last good templates, static files and allowlist", "err", err)
		return err
	}
	g.current.Store(l)
	g.log.Info("reloaded templates, static files and allowlist")
	return nil
}

// reloadState remembers the outcome of the reloads for /readyz and metrics.
type reloadState struct {
	mu        sync.Mutex
	succeeded int
	failed    int
	lastError string
	lastAt    time.Time
}

func (r *reloadState) record(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastAt = time.Now()
	if err != nil {
		r.failed++
		r.lastError = err.Error()
		return
	}
	r.succeeded++
	r.lastError = ""
}

// ReloadStats tells how many reloads succeeded and failed, and the error of
// the last one if it failed.
type ReloadStats struct {
	Succeeded int       `json:"succeeded"`
	Failed    int       `json:"failed"`
	LastError string    `json:"last_error,omitempty"`
	LastAt    time.Time `json:"last_at,omitzero"`
}

// ReloadStats reports the reloads so far.
func (g *Gateway) ReloadStats() ReloadStats {
	g.reloads.mu.Lock()
	defer g.reloads.mu.Unlock()
	return ReloadStats{Succeeded: g.reloads.succeeded, Failed: g.reloads.failed, LastError: g.reloads.lastError, LastAt: g.reloads.lastAt}
}
