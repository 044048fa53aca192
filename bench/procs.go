package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// buildAll builds the gateway, the baseline and the fake Safe Browsing
// server into dir, and returns their paths by name.
func buildAll(dir string) (map[string]string, error) {
	bins := map[string]string{}
	for name, pkg := range map[string]string{
		"safelink":         "./cmd/safelink",
		"baseline":         "./bench/baseline",
		"fakesafebrowsing": "./internal/cmd/fakesafebrowsing",
	} {
		out := filepath.Join(dir, name)
		cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("build %s: %w", pkg, err)
		}
		bins[name] = out
	}
	return bins, nil
}

func lookPath(name string) (string, error) { return exec.LookPath(name) }

// freeAddr returns a loopback address with a port free right now.
func freeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// process is a server the benchmark started.
type process struct {
	name string
	cmd  *exec.Cmd
	addr string // the address it listens on
}

type processes []*process

// start runs bin with args, pinned to cpus when given, and waits until addr
// (the value after -addr in args) accepts connections.
func (ps *processes) start(name, cpus, bin string, args ...string) (*process, error) {
	p := &process{name: name}
	for i, a := range args {
		if a == "-addr" && i+1 < len(args) {
			p.addr = args[i+1]
		}
	}
	if cpus != "" {
		args = append([]string{"-c", cpus, bin}, args...)
		bin = "taskset"
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stderr = &prefixWriter{prefix: name + ": "}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	*ps = append(*ps, p)
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", p.addr, time.Second)
		if err == nil {
			c.Close()
			return p, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s does not listen on %s", name, p.addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (ps *processes) stop(p *process) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	_ = p.cmd.Wait()
}

func (ps *processes) stopAll() {
	for _, p := range *ps {
		if p.cmd.ProcessState == nil {
			ps.stop(p)
		}
	}
}

// rss reads the resident memory of the process (the server, not taskset,
// which execs it).
func (p *process) rss() (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}

// gatewayProcess is a running gateway with its internal listener.
type gatewayProcess struct {
	*process
	internal string
}

// Secrets of the benchmark's gateway; they protect nothing.
const (
	apiToken   = "bench-api-token-0123456789"
	signingKey = "b1:YmVuY2gtc2lnbmluZy1rZXktb2YtMzItYnl0ZXMh"
)

// startGateway starts the gateway, with Safe Browsing against the fake
// server at fakeAddr when it is not empty.
func startGateway(ps *processes, bin, cpus, fakeAddr string) (*gatewayProcess, error) {
	addr, internal := freeAddr(), freeAddr()
	args := []string{"serve", "-addr", addr, "-internal-addr", internal, "-public-url", "https://link.blibli.com",
		"-log-level", "warn", "-api-tokens", apiToken, "-signing-keys", signingKey,
		"-api-per-minute", "1000000", "-token-key", "YmVuY2gtdG9rZW4ta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMh", "-event-salt", "bench-salt-of-sixteen-bytes"}
	if fakeAddr != "" {
		args = append(args, "-safebrowsing-api-key", "bench", "-safebrowsing-url", "http://"+fakeAddr)
	}
	p, err := ps.start("gateway", cpus, bin, args...)
	if err != nil {
		return nil, err
	}
	return &gatewayProcess{process: p, internal: internal}, nil
}

// waitLists waits until the gateway's threat lists are loaded.
func (g *gatewayProcess) waitLists(within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get("http://" + g.internal + "/readyz")
		if err == nil {
			var body struct {
				SafeBrowsing struct{ State string } `json:"safebrowsing"`
			}
			err = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if err == nil && body.SafeBrowsing.State == "ready" {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the gateway's threat lists did not load within %v", within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// prefixWriter copies a server's log lines to stderr under its name.
type prefixWriter struct{ prefix string }

func (w *prefixWriter) Write(p []byte) (int, error) {
	for _, line := range strings.SplitAfter(string(p), "\n") {
		if line != "" {
			fmt.Fprint(os.Stderr, w.prefix+line)
		}
	}
	return len(p), nil
}
