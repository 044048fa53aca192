package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the tests start this test binary as the real safelink
// process, so the serve tests drive a real process with real signals.
func TestMain(m *testing.M) {
	if os.Getenv("SAFELINK_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// gatewayProcess is a running "safelink serve".
type gatewayProcess struct {
	cmd      *exec.Cmd
	public   string
	internal string
	logs     chan map[string]any
	clicks   atomic.Int64 // answers to /go the tests received, each an event of the gateway's
}

// startGateway runs "safelink serve" on free ports with args. Shortener
// expansion is off unless args turn it on, so that no test reaches a real
// shortener.
func startGateway(t *testing.T, args ...string) *gatewayProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "-addr", "127.0.0.1:0", "-internal-addr", "127.0.0.1:0", "-expand=false"}, args...)...)
	cmd.Env = append(os.Environ(), "SAFELINK_TEST_RUN_MAIN=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &gatewayProcess{cmd: cmd, logs: make(chan map[string]any, 100)}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var entry map[string]any
			if json.Unmarshal(sc.Bytes(), &entry) == nil {
				p.logs <- entry
			} else {
				t.Logf("not JSON on stderr: %s", sc.Text())
			}
		}
		close(p.logs)
	}()
	started := p.waitLog(t, "gateway started")
	p.public, p.internal = started["public"].(string), started["internal"].(string)
	return p
}

// waitLog returns the first log entry with the given message.
func (p *gatewayProcess) waitLog(t *testing.T, msg string) map[string]any {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case entry, ok := <-p.logs:
			if !ok {
				t.Fatalf("the gateway exited before logging %q", msg)
			}
			if entry["msg"] == msg {
				return entry
			}
		case <-timeout:
			t.Fatalf("no %q log within 10s", msg)
		}
	}
}

// logsUntil returns the log entries up to and including the first with
// the given message.
func (p *gatewayProcess) logsUntil(t *testing.T, msg string) []map[string]any {
	t.Helper()
	timeout := time.After(10 * time.Second)
	var entries []map[string]any
	for {
		select {
		case entry, ok := <-p.logs:
			if !ok {
				t.Fatalf("the gateway exited before logging %q", msg)
			}
			entries = append(entries, entry)
			if entry["msg"] == msg {
				return entries
			}
		case <-timeout:
			t.Fatalf("no %q log within 10s", msg)
		}
	}
}

var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       5 * time.Second,
}

func TestServeAnswersAndShutsDownGracefully(t *testing.T) {
	p := startGateway(t, "-log-format", "json")

	resp, err := noRedirects.Get("http://" + p.public + "/go?u=https%3A%2F%2Fwww.blibli.com%2F")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "https://www.blibli.com/" {
		t.Fatalf("/go: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = noRedirects.Get("http://" + p.internal + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"official.txt":1`) {
		t.Fatalf("/readyz: %d %s", resp.StatusCode, body)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.waitLog(t, "shutting down")
	p.waitLog(t, "gateway stopped")
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	if _, err := net.DialTimeout("tcp", p.public, time.Second); err == nil {
		t.Error("the public listener still accepts connections after shutdown")
	}
}

func TestShutdownDelayKeepsServingWhileReadyzSaysNotReady(t *testing.T) {
	p := startGateway(t, "-shutdown-delay", "3s")
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.waitLog(t, "shutting down")
	ready, err := noRedirects.Get("http://" + p.public + "/readyz")
	if err != nil {
		t.Fatalf("/readyz during the delay: %v", err)
	}
	ready.Body.Close()
	link, err := noRedirects.Get("http://" + p.public + "/go?u=https%3A%2F%2Fwww.blibli.com%2F")
	if err != nil {
		t.Fatalf("/go during the delay: %v", err)
	}
	link.Body.Close()
	if ready.StatusCode != http.StatusServiceUnavailable || link.StatusCode != http.StatusFound {
		t.Errorf("during the delay: /readyz %d, want 503; /go %d, want 302", ready.StatusCode, link.StatusCode)
	}
	p.waitLog(t, "gateway stopped")
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
}

func TestServeAllLetsInFlightRequestsFinish(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished")
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- serveAll(ctx, []*http.Server{{Handler: slow}}, []net.Listener{l}, 0, 10*time.Second, func() { close(stopped) })
	}()

	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + l.Addr().String() + "/")
		if err != nil {
			answer <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answer <- string(b)
	}()
	<-entered
	cancel() // as SIGTERM does
	<-stopped
	// Shutdown closes the listener before it waits for the handler.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", l.Addr().String(), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the listener still accepts connections during shutdown")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("serveAll returned before the in-flight request finished: %v", err)
	default:
	}
	close(release)
	if got := <-answer; got != "finished" {
		t.Errorf("in-flight request: %q", got)
	}
	if err := <-done; err != nil {
		t.Errorf("serveAll: %v", err)
	}
}

func TestServeFailsWhenThePortIsTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	code, _, errOut := runCmd(t, nil, "serve", "-addr", l.Addr().String(), "-internal-addr", "127.0.0.1:0")
	if code != exitFail || !strings.Contains(errOut, "address already in use") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
