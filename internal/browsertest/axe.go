package browsertest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeDir is where package.json pins axe-core, relative to the module root.
const axeDir = "internal/browsertest"

// Axe is the source of axe-core, the accessibility checker.
type Axe struct {
	source string
}

// LoadAxe reads axe-core from the node_modules folder beside this
// package. When it is missing the test fails and says how to install it.
func LoadAxe(tb testing.TB) *Axe {
	tb.Helper()
	path := filepath.Join(ModuleRoot(tb), filepath.FromSlash(axeDir), "node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("axe-core is needed for the accessibility checks; install it with `npm ci --prefix %s` from the module root (%v)", axeDir, err)
	}
	return &Axe{source: string(src)}
}

// ModuleRoot returns the folder of go.mod above the working directory,
// which is the package's folder under go test.
func ModuleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Violation is one rule of axe-core that the page breaks.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"` // "minor", "moderate", "serious" or "critical"
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []string `json:"target"`
		Summary string   `json:"failureSummary"`
	} `json:"nodes"`
}

// Serious reports whether the violation is serious or critical: people
// who rely on assistive technology are likely kept from using the page.
func (v Violation) Serious() bool { return v.Impact == "serious" || v.Impact == "critical" }

// String describes the violation and where it is.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    at %s: %s", strings.Join(n.Target, " "), strings.ReplaceAll(n.Summary, "\n", "; "))
	}
	return b.String()
}

// runAxe runs every axe-core rule on the document and keeps what the
// tests read of each violation.
const runAxe = `axe.run(document, {resultTypes: ["violations"]}).then(r => ({
  version: r.testEngine.version,
  violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(String), failureSummary: n.failureSummary}))})),
}))`

// AxeReport is the outcome of one axe-core run.
type AxeReport struct {
	Version    string      `json:"version"`
	Violations []Violation `json:"violations"`
}

// Check injects axe-core into the tab's page and runs it. DevTools
// evaluation ignores the page's Content-Security-Policy, so axe-core
// runs even on pages that allow no script at all.
//
// axe-core waits on timers, which do not fire while the tab's JavaScript
// is off; in that case scripts are turned on for the run alone. The page
// was loaded and laid out with JavaScript off and has no script of its
// own, so axe-core still checks the page people without JavaScript get.
func (a *Axe) Check(t *Tab, scriptsOff bool) (report AxeReport, err error) {
	if scriptsOff {
		if err := chromedp.Do(t.Ctx, setScriptsOff(false)); err != nil {
			return report, err
		}
		defer func() {
			err = errors.Join(err, chromedp.Do(t.Ctx, setScriptsOff(true)))
		}()
	}
	if err := chromedp.Do(t.Ctx, chromedp.Evaluate[chromedp.Void](a.source)); err != nil {
		return report, fmt.Errorf("injecting axe-core: %w", err)
	}
	report, err = chromedp.Run(t.Ctx, chromedp.Evaluate[AxeReport](runAxe, chromedp.EvalAwaitPromise))
	if err != nil {
		return report, fmt.Errorf("running axe-core: %w", err)
	}
	return report, nil
}
