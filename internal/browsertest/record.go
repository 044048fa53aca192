package browsertest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Recorder keeps what the pages of a tab sent and reported: every request,
// the status of every document, and every error and warning from the
// console API, the browser log and uncaught exceptions.
type Recorder struct {
	frame cdp.FrameID // the tab's main frame

	mu        sync.Mutex
	requests  []string
	documents map[network.RequestID]int64 // main-frame document → HTTP status
	logs      []*log.Entry
	errors    []string
	warnings  []string
	loader    cdp.LoaderID  // the main frame's current document
	idle      chan struct{} // closed once that document's network is idle
}

// record starts recording the events of the tab of ctx.
func record(ctx context.Context) (*Recorder, error) {
	c := chromedp.FromContext(ctx)
	r := &Recorder{
		frame:     cdp.FrameID(c.Target.TargetID),
		documents: map[network.RequestID]int64{},
		idle:      make(chan struct{}),
	}
	return r, chromedp.Listen(ctx, r.handle)
}

// handle runs in the tab's event loop, in the order Chromium sent the
// events.
func (r *Recorder) handle(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		r.requests = append(r.requests, ev.Request.URL)
		if ev.Type == network.ResourceTypeDocument && ev.FrameID == r.frame && ev.LoaderID != r.loader {
			r.loader = ev.LoaderID
			r.idle = make(chan struct{})
		}
	case *network.EventResponseReceived:
		if ev.Type == network.ResourceTypeDocument && ev.FrameID == r.frame {
			r.documents[ev.RequestID] = ev.Response.Status
		}
	case *page.EventLifecycleEvent:
		if ev.Name == "networkIdle" && ev.FrameID == r.frame && ev.LoaderID == r.loader {
			select {
			case <-r.idle:
			default:
				close(r.idle)
			}
		}
	case *runtime.EventConsoleAPICalled:
		text := "console." + string(ev.Type) + ": " + argsText(ev.Args)
		switch ev.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeAssert:
			r.errors = append(r.errors, text)
		case runtime.ConsoleAPICalledTypeWarning:
			r.warnings = append(r.warnings, text)
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		r.errors = append(r.errors, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, text))
	case *log.EventEntryAdded:
		r.logs = append(r.logs, ev.Entry)
	}
}

func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, len(args))
	for i, a := range args {
		switch {
		case a.Description != "":
			parts[i] = a.Description
		default:
			parts[i] = strings.Trim(string(a.Value), `"`)
		}
	}
	return strings.Join(parts, " ")
}

// Errors returns every error the tab's pages reported: console.error and
// failed console.assert calls, uncaught exceptions, and browser log
// entries of level error, such as a failed subresource or a violation of
// the Content-Security-Policy.
//
// One log entry is not an error: Chromium logs "Failed to load resource"
// for a main document whose status is 4xx or 5xx, as it logs any failed
// request. For a page that is meant to answer 400, 403 or 404 that entry
// only repeats the status, which the test checks on its own; a failed
// stylesheet, icon or any other request is still an error.
func (r *Recorder) Errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	errs := append([]string(nil), r.errors...)
	for _, e := range r.logs {
		if e.Level != log.EntryLevelError || r.isDocumentStatus(e) {
			continue
		}
		errs = append(errs, fmt.Sprintf("log (%s): %s %s", e.Source, e.Text, e.URL))
	}
	return errs
}

// isDocumentStatus reports whether e is Chromium's network entry for the
// 4xx or 5xx status of a main-frame document.
func (r *Recorder) isDocumentStatus(e *log.Entry) bool {
	status, ok := r.documents[e.NetworkRequestID]
	return ok && e.Source == log.EntrySourceNetwork && status >= 400
}

// Warnings returns the console and log warnings, which tests show but do
// not fail on.
func (r *Recorder) Warnings() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	warnings := append([]string(nil), r.warnings...)
	for _, e := range r.logs {
		if e.Level == log.EntryLevelWarning {
			warnings = append(warnings, fmt.Sprintf("log (%s): %s %s", e.Source, e.Text, e.URL))
		}
	}
	return warnings
}

// Requests returns the URL of every request the tab's pages sent, in
// order.
func (r *Recorder) Requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.requests...)
}

// WaitNetworkIdle waits until the current document and everything it
// loads, such as a favicon fetched after the load event, have arrived.
func (r *Recorder) WaitNetworkIdle(ctx context.Context) error {
	r.mu.Lock()
	idle := r.idle
	r.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for the page's requests to end: %w", ctx.Err())
	}
}
