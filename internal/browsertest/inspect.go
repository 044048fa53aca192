package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The page facts below are read with DevTools evaluation, which runs even
// when the tab's JavaScript is off and whatever the page's
// Content-Security-Policy says: neither applies to DevTools.

// setScriptsOff turns the JavaScript of the tab's pages off or on.
func setScriptsOff(off bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
		return err
	})
}

// ScriptsOff reports whether the page runs with JavaScript off, as the
// page itself sees it: the CSS media feature "scripting" is "none".
func (t *Tab) ScriptsOff() (bool, error) {
	return chromedp.Run(t.Ctx, chromedp.Evaluate[bool](`matchMedia("(scripting: none)").matches`))
}

// Overflow is how wide the page is against its viewport.
type Overflow struct {
	ScrollWidth int64 `json:"scrollWidth"` // width of the whole page
	ClientWidth int64 `json:"clientWidth"` // width of the viewport
}

// ScrollsSideways reports whether the page is wider than its viewport.
func (o Overflow) ScrollsSideways() bool { return o.ScrollWidth > o.ClientWidth }

// Overflow measures the page's width against the viewport.
func (t *Tab) Overflow() (Overflow, error) {
	return chromedp.Run(t.Ctx, chromedp.Evaluate[Overflow](
		`({scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth})`))
}

// Shown is where a page shows a piece of text as the whole text of an
// element, such as a domain in its own line.
type Shown struct {
	BodyFontSize float64   `json:"bodyFontSize"` // size of the body text, in CSS pixels
	Boxes        []TextBox `json:"boxes"`        // one for each element, in document order
}

// TextBox is an element that shows the text, in CSS pixels from the top
// left corner of the page.
type TextBox struct {
	Element  string  `json:"element"` // tag and class
	Top      float64 `json:"top"`
	Left     float64 `json:"left"`
	Width    float64 `json:"width"`
	Height   float64 `json:"height"`
	FontSize float64 `json:"fontSize"`
}

// findShown lists the elements whose whole text is the text and that are
// rendered: not display:none, not visibility:hidden, not transparent,
// with a size, inside the page, and part of the text the page shows
// (innerText).
const findShown = `(text) => {
  const shown = {bodyFontSize: parseFloat(getComputedStyle(document.body).fontSize), boxes: []};
  if (!document.body.innerText.includes(text)) return shown;
  for (const el of document.body.querySelectorAll("*")) {
    if (el.textContent.trim() !== text) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true})) continue;
    const r = el.getBoundingClientRect();
    const top = r.top + scrollY, left = r.left + scrollX;
    if (r.width < 1 || r.height < 1 || left < 0 || top < 0) continue;
    if (left + r.width > document.documentElement.scrollWidth) continue;
    shown.boxes.push({element: el.localName + (el.className ? "." + el.className : ""), top, left,
      width: r.width, height: r.height, fontSize: parseFloat(getComputedStyle(el).fontSize)});
  }
  return shown;
}`

// Shown finds where the page shows text as the whole text of an element.
func (t *Tab) Shown(text string) (Shown, error) {
	arg, err := json.Marshal(text)
	if err != nil {
		return Shown{}, err
	}
	return chromedp.Run(t.Ctx, chromedp.Evaluate[Shown](fmt.Sprintf("(%s)(%s)", findShown, arg)))
}

// SaveScreenshot writes a PNG of the whole page, beyond the viewport, to
// path.
func (t *Tab) SaveScreenshot(path string) error {
	png, err := chromedp.Run(t.Ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}
