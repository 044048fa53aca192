// Package browsertest drives headless Chromium (Debian's chromium package)
// in the tests of the gateway's pages.
//
// The browser runs on a closed network: a host name resolves only when a
// test maps it to one of its local servers, and every other name fails.
// A Tab records what its pages send and report while they load, and
// axe-core, installed with npm in this folder, checks their accessibility.
package browsertest

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumInstall is how to get the browser the tests drive.
const chromiumInstall = "apt-get install -y chromium"

// Options configure a browser.
type Options struct {
	// Hosts maps "host:port" patterns to the loopback address
	// ("127.0.0.1:PORT") of a test server that answers for them. Every
	// other host, IP literals included, fails to resolve.
	Hosts map[string]string
	// TrustedCerts are certificates of test servers that the browser
	// accepts without a chain to a trusted root.
	TrustedCerts []*x509.Certificate
}

// Browser is a headless Chromium that lives as long as the test that
// started it.
type Browser struct {
	ctx context.Context
}

// Start starts Chromium with a fresh profile in a temporary directory and
// stops it when the test ends. Without chromium on the PATH the test fails
// and says how to install it.
func Start(tb testing.TB, opts Options) *Browser {
	tb.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		tb.Fatalf("headless Chromium is needed for the page tests; install it with `%s` (%v)", chromiumInstall, err)
	}
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// Chromium calls Google's services at start and in the
		// background; the network is closed, so none of that.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("host-resolver-rules", hostRules(opts.Hosts)),
	)
	if len(opts.TrustedCerts) > 0 {
		flags = append(flags, chromedp.Flag("ignore-certificate-errors-spki-list", spkiHashes(opts.TrustedCerts)))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), flags...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	tb.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("starting %s: %v", path, err)
	}
	return &Browser{ctx: ctx}
}

// hostRules maps each host pattern to its server and every other host,
// IP literals included, to nothing. The rules apply in order, so the
// patterns with a port come before the ones without.
func hostRules(hosts map[string]string) string {
	patterns := slices.SortedFunc(maps.Keys(hosts), func(a, b string) int {
		if pa, pb := strings.Contains(a, ":"), strings.Contains(b, ":"); pa != pb {
			if pa {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	rules := make([]string, 0, len(patterns)+2)
	for _, p := range patterns {
		rules = append(rules, "MAP "+p+" "+hosts[p])
	}
	rules = append(rules, "MAP * ~NOTFOUND", "EXCLUDE 127.0.0.1")
	return strings.Join(rules, ", ")
}

// spkiHashes lists the certificates' public key hashes the way Chromium's
// ignore-certificate-errors-spki-list flag takes them.
func spkiHashes(certs []*x509.Certificate) string {
	hashes := make([]string, len(certs))
	for i, c := range certs {
		sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
		hashes[i] = base64.StdEncoding.EncodeToString(sum[:])
	}
	return strings.Join(hashes, ",")
}

// TabOptions configure a tab.
type TabOptions struct {
	// Width and Height are the viewport in CSS pixels, as on a phone.
	Width, Height int64
	// ScriptsOff turns JavaScript off in the tab's pages.
	ScriptsOff bool
	// Timeout bounds everything the tab does.
	Timeout time.Duration
}

// Tab is one browser tab with a mobile viewport. Its Recorder sees every
// page the tab loads.
type Tab struct {
	// Ctx runs chromedp actions in the tab.
	Ctx context.Context
	// Record is what the tab's pages sent and reported.
	Record *Recorder
}

// NewTab opens a tab that closes when the test ends.
func (b *Browser) NewTab(tb testing.TB, opts TabOptions) *Tab {
	tb.Helper()
	timeoutCtx, cancelTimeout := context.WithTimeout(b.ctx, opts.Timeout)
	ctx, cancel := chromedp.NewContext(timeoutCtx)
	tb.Cleanup(func() {
		cancel()
		cancelTimeout()
	})
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("opening a tab: %v", err)
	}
	rec, err := record(ctx)
	if err != nil {
		tb.Fatalf("recording the tab: %v", err)
	}
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(opts.Width, opts.Height, chromedp.EmulateMobile, chromedp.EmulatePortrait),
		setScriptsOff(opts.ScriptsOff),
	)
	if err != nil {
		tb.Fatalf("setting up the tab: %v", err)
	}
	return &Tab{Ctx: ctx, Record: rec}
}
