package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// The rewrite API token of the gateways started here, and the setting
// that names it chat.
const (
	testAPIToken  = "process-test-api-token"
	testAPITokens = "chat:" + testAPIToken
)

// hugeBody is larger than every body limit of the gateway: 16 KiB for the
// forms, 1 MiB for the rewrite API, 64 KiB for the admin API.
var hugeBody = strings.Repeat("a", 2<<20)

// chunkedReader hides its length, so that the client sends the body with
// chunked transfer encoding and the server cannot refuse it by its
// Content-Length.
type chunkedReader struct{ io.Reader }

// A request line or headers past -max-header-bytes get 431, a body past
// the limit of its route gets 413, whether its length is declared or
// chunked; nothing gets a 5xx, and /go keeps answering.
func TestHugeRequestsAreRefusedWithoutA5xx(t *testing.T) {
	p := startGateway(t, "-api-tokens", testAPITokens, "-admin-tokens", testAdminTokens, "-log-format", "json")
	public, internal := "http://"+p.public, "http://"+p.internal

	huge := strings.Repeat("x", 128<<10)
	for name, req := range map[string]*http.Request{
		"long request line": mustRequest(t, http.MethodGet, public+"/go?u="+url.QueryEscape("https://www.blibli.com/"+huge), "", nil),
		"long header":       mustRequest(t, http.MethodGet, public+"/go?u=https%3A%2F%2Fwww.blibli.com%2F", "", map[string]string{"X-Filler": huge}),
		"long cookie":       mustRequest(t, http.MethodGet, public+"/go?u=https%3A%2F%2Fwww.blibli.com%2F", "", map[string]string{"Cookie": "a=" + huge}),
	} {
		if status := send(t, req, false); status != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("%s: %d, want 431", name, status)
		}
	}

	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}
	api := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + testAPIToken}
	admin := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + testAdminToken}
	formBody, jsonBody := "t="+hugeBody, `{"text":"`+hugeBody+`"}`
	bodies := []struct {
		name, url, body string
		headers         map[string]string
	}{
		{"continue form", public + "/go/continue", formBody, form},
		{"report form", public + "/report", formBody, form},
		{"rewrite API", internal + "/api/v1/rewrite", jsonBody, api},
		{"admin API", internal + "/admin/v1/rules", jsonBody, admin},
	}
	for _, b := range bodies {
		for _, chunked := range []bool{false, true} {
			req := mustRequest(t, http.MethodPost, b.url, b.body, b.headers)
			if chunked {
				req.Body = io.NopCloser(chunkedReader{strings.NewReader(b.body)})
				req.ContentLength = -1
			}
			if status := send(t, req, true); status != http.StatusRequestEntityTooLarge {
				t.Errorf("%s, chunked %v: %d, want 413", b.name, chunked, status)
			}
		}
	}
	// A body on /go is never read, and changes nothing.
	req := mustRequest(t, http.MethodGet, public+"/go?u=https%3A%2F%2Fwww.blibli.com%2F", hugeBody, nil)
	if status := send(t, req, true); status != http.StatusFound {
		t.Errorf("/go with a huge body: %d, want 302", status)
	}
	if status, _ := p.get(t, "/go?u=https%3A%2F%2Fwww.blibli.com%2F"); status != http.StatusFound {
		t.Errorf("/go after the huge requests: %d", status)
	}
}

func mustRequest(t *testing.T, method, target, body string, headers map[string]string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return req
}

// send sends req on a connection of its own and returns the status. The
// server may answer before reading a refused body and close the
// connection; with tolerateReset a write error after the answer is fine.
func send(t *testing.T, req *http.Request, tolerateReset bool) int {
	t.Helper()
	client := &http.Client{
		Transport:     &http.Transport{DisableKeepAlives: true},
		CheckRedirect: noRedirects.CheckRedirect,
		Timeout:       10 * time.Second,
	}
	resp, err := client.Do(req)
	if err != nil {
		if tolerateReset {
			// The answer came before the whole body was sent; read it from
			// the raw connection instead.
			return sendRaw(t, req)
		}
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// sendRaw writes req on a raw connection, ignoring write errors, and reads
// the status line the server sent.
func sendRaw(t *testing.T, req *http.Request) int {
	t.Helper()
	if req.GetBody != nil {
		req.Body, _ = req.GetBody()
	}
	conn, err := net.DialTimeout("tcp", req.URL.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	go func() { _ = req.Write(conn) }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatalf("%s %s: no answer: %v", req.Method, req.URL.Path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A client that sends its headers a byte at a time (slowloris) holds no
// other client up, and the header timeout closes its connection.
func TestSlowHeadersDoNotHoldOtherClients(t *testing.T) {
	p := startGateway(t, "-read-header-timeout", "1s", "-log-format", "json")
	const slowClients = 64
	request := "GET /go?u=https%3A%2F%2Fwww.blibli.com%2F HTTP/1.1\r\nHost: " + p.public + "\r\nX-Slow: " + strings.Repeat("s", 200) + "\r\n\r\n"
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		faults []string
	)
	started := time.Now()
	for range slowClients {
		conn, err := net.Dial("tcp", p.public)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		wg.Go(func() {
			// Trickle the request until the server closes the connection.
			for i := 0; i < len(request); i++ {
				if _, err := conn.Write([]byte{request[i]}); err != nil {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			answer, err := io.ReadAll(conn)
			mu.Lock()
			defer mu.Unlock()
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				faults = append(faults, "a slow connection stayed open 30s after its last byte")
			} else if strings.HasPrefix(string(answer), "HTTP/1.1 2") || strings.HasPrefix(string(answer), "HTTP/1.1 3") || strings.HasPrefix(string(answer), "HTTP/1.1 5") {
				faults = append(faults, fmt.Sprintf("a slow request was answered: %.40q", answer))
			}
		})
	}
	// Meanwhile other clients get their answers.
	for range 20 {
		if status, _ := p.get(t, "/go?u=https%3A%2F%2Fwww.blibli.com%2F"); status != http.StatusFound {
			t.Errorf("a normal client during the slow ones: %d", status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	wg.Wait()
	for _, f := range faults {
		t.Error(f)
	}
	// Each slow request would need 12s at its pace; the timeout of 1s
	// closes them long before.
	if took := time.Since(started); took > 10*time.Second {
		t.Errorf("the slow connections were closed only after %v", took)
	}
}
