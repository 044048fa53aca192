package fakesafebrowsing

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

// listUpdateRequest is an encoded FetchThreatListUpdatesRequest for the
// malware list of any platform.
var listUpdateRequest = appendBytesField(nil, 3,
	appendVarintField(appendVarintField(appendVarintField(nil, 1, 1), 2, platformAnyPlatform), 5, entryTypeURL))

func startServer(t *testing.T) *Server {
	t.Helper()
	srv, err := New(Config{Threats: []Entry{{Type: verdict.ThreatMalware, Expression: "malware.example/"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	return srv
}

func post(t *testing.T, url string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/x-protobuf", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, got
}

func TestServerRejectsBadRequests(t *testing.T) {
	srv := startServer(t)
	tests := []struct {
		name, method, path string
		body               []byte
		wantStatus         int
	}{
		{"unknown method", "POST", "/v4/threatLists?key=k&alt=proto", nil, http.StatusNotFound},
		{"GET", "GET", listUpdatePath + "?key=k&alt=proto", nil, http.StatusMethodNotAllowed},
		{"no key", "POST", listUpdatePath + "?alt=proto", listUpdateRequest, http.StatusForbidden},
		{"JSON asked", "POST", listUpdatePath + "?key=k", listUpdateRequest, http.StatusBadRequest},
		{"no list asked", "POST", listUpdatePath + "?key=k&alt=proto", nil, http.StatusBadRequest},
		{"not protobuf", "POST", fullHashesPath + "?key=k&alt=proto", garbage, http.StatusBadRequest},
		{"answered", "POST", listUpdatePath + "?key=k&alt=proto", listUpdateRequest, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL()+tt.path, bytes.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
		})
	}
}

func TestServerFailures(t *testing.T) {
	srv := startServer(t)
	url := srv.URL() + listUpdatePath + "?key=k&alt=proto"

	srv.SetFailure(FailureStatus500)
	if status, _ := post(t, url, listUpdateRequest); status != http.StatusInternalServerError {
		t.Errorf("FailureStatus500: status = %d, want 500", status)
	}
	srv.SetFailure(FailureGarbage)
	if status, body := post(t, url, listUpdateRequest); status != http.StatusOK || !bytes.Equal(body, garbage) {
		t.Errorf("FailureGarbage: status = %d, body %q; want 200 and garbage", status, body)
	}
	srv.SetFailure(FailureNone)
	if status, body := post(t, url, listUpdateRequest); status != http.StatusOK || bytes.Equal(body, garbage) {
		t.Errorf("FailureNone: status = %d, body %q; want 200 and a list update", status, body)
	}
}

func TestServerDelay(t *testing.T) {
	srv := startServer(t)
	srv.SetDelay(200 * time.Millisecond)
	start := time.Now()
	if status, _ := post(t, srv.URL()+listUpdatePath+"?key=k&alt=proto", listUpdateRequest); status != http.StatusOK {
		t.Errorf("status = %d, want 200", status)
	}
	if elapsed := time.Since(start); elapsed < 200*time.Millisecond {
		t.Errorf("answered after %v, want at least the 200ms delay", elapsed)
	}
}

func TestStopDropsDelayedAnswersAndRefusesConnections(t *testing.T) {
	srv := startServer(t)
	srv.SetDelay(time.Hour)
	url := srv.URL() + listUpdatePath + "?key=k&alt=proto"
	errs := make(chan error, 1)
	go func() {
		resp, err := http.Post(url, "application/x-protobuf", bytes.NewReader(listUpdateRequest))
		if err == nil {
			resp.Body.Close()
		}
		errs <- err
	}()
	time.Sleep(100 * time.Millisecond) // let the request reach the delay
	start := time.Now()
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errs:
		if err == nil {
			t.Error("delayed request got an answer from a stopped server")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("delayed request still waiting 5s after Stop")
	}
	t.Logf("delayed request ended %v after Stop", time.Since(start))
	if _, err := http.Post(url, "application/x-protobuf", strings.NewReader("")); err == nil {
		t.Error("stopped server accepted a connection")
	}
}
