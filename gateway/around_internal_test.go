package gateway

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// aroundEcho returns a gateway with no bundle, logging to log, and an echo
// server that wraps its routes in the gateway's around.
func aroundEcho(log *slog.Logger) (*Gateway, *echo.Echo) {
	g := &Gateway{headers: securityHeaders(0), log: log}
	g.metrics = newMetrics(g)
	e := echo.New()
	e.Use(g.around)
	return g, e
}

func TestAroundTurnsAPanicIntoAnErrorPageWithTheSecurityHeaders(t *testing.T) {
	var logs bytes.Buffer
	g, e := aroundEcho(slog.New(slog.NewTextHandler(&logs, nil)))
	var handled error
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		handled = err
		_ = c.String(http.StatusInternalServerError, "error page")
	}
	e.GET("/boom", func(echo.Context) error { panic("broken handler") })

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if rec.Code != http.StatusInternalServerError || rec.Body.String() != "error page" {
		t.Errorf("a panicking handler answered %d %q, want the 500 error page", rec.Code, rec.Body)
	}
	for _, h := range g.headers {
		if got := rec.Header().Get(h.key); got != h.value[0] {
			t.Errorf("%s = %q on the error page, want %q", h.key, got, h.value[0])
		}
	}
	if handled == nil || !strings.Contains(handled.Error(), "broken handler") {
		t.Errorf("the error handler got %v, want the panic", handled)
	}
	if !strings.Contains(logs.String(), "handler panicked") || !strings.Contains(logs.String(), "around_internal_test.go") {
		t.Errorf("the panic was not logged with its stack:\n%s", logs.String())
	}
}

func TestAroundLetsAnAbortedHandlerAbort(t *testing.T) {
	_, e := aroundEcho(slog.New(slog.DiscardHandler))
	e.GET("/abort", func(echo.Context) error { panic(http.ErrAbortHandler) })
	defer func() {
		if r := recover(); r == nil || !errors.Is(r.(error), http.ErrAbortHandler) {
			t.Errorf("recovered %v, want http.ErrAbortHandler to go on up", r)
		}
	}()
	e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/abort", nil))
}

func TestAroundSendsTheDateOfTheResponse(t *testing.T) {
	g, e := aroundEcho(slog.New(slog.DiscardHandler))
	e.GET("/", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	for range 2 { // formatted, then from the second's value
		before := time.Now().Truncate(time.Second)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		date, err := http.ParseTime(rec.Header().Get("Date"))
		if err != nil || len(rec.Header()["Date"]) != 1 || date.Before(before) || date.After(time.Now()) {
			t.Errorf("Date %q (%v), want one value of the time of the request", rec.Header()["Date"], err)
		}
	}
	if next := g.date.at(time.Now().Add(time.Second)); next[0] == g.date.at(time.Now().Add(-time.Second))[0] {
		t.Errorf("the Date of two different seconds is %q", next[0])
	}
}
