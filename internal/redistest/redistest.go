// Package redistest runs a real redis-server for tests: a private process
// on a free loopback port and a unix socket in a temporary
// directory, with persistence off, stopped when the test ends. Fault tests
// can stop and restart it on the same address.
//
// A test that needs Redis fails, not skips, when redis-server is missing, so
// that a machine without it cannot pass by running less.
package redistest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// InstallHint tells how to get the binary this package needs.
const InstallHint = "redis-server is not installed; install it with: apt-get install -y redis-server"

// startTimeout bounds how long a starting server may take to answer PING.
const startTimeout = 10 * time.Second

// Server is one redis-server process owned by a test.
type Server struct {
	t      testing.TB
	binary string
	dir    string
	port   int
	config []string // extra settings, as command-line arguments

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

// Start runs a new redis-server for t on a free port and a unix socket and
// waits until it answers. It is stopped when t ends. Config holds more
// settings in redis-server's command-line form, such as
// "--rename-command", "AUTH", "".
func Start(t testing.TB, config ...string) *Server {
	t.Helper()
	binary, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal(InstallHint)
	}
	// A short directory of its own, not t.TempDir: a unix socket path must
	// fit in 108 bytes, and test names can be long.
	dir, err := os.MkdirTemp("", "redistest")
	if err != nil {
		t.Fatalf("redistest: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	s := &Server{t: t, binary: binary, dir: dir, config: config}
	t.Cleanup(s.Stop)
	var lastErr error
	for range 3 { // another process may take the free port before redis-server binds it
		if s.port, err = freePort(); err != nil {
			t.Fatalf("redistest: finding a free port: %v", err)
		}
		if lastErr = s.start(); lastErr == nil {
			return s
		}
	}
	t.Fatalf("redistest: %v", lastErr)
	return nil
}

// Addr is the server's TCP address, host:port on the loopback interface.
func (s *Server) Addr() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
}

// Socket is the path of the server's unix socket.
func (s *Server) Socket() string {
	return filepath.Join(s.dir, "redis.sock")
}

// URL is a redis:// URL for the server's TCP address.
func (s *Server) URL() string {
	return "redis://" + s.Addr()
}

// Stop ends the server and waits for it to exit. Stopping a stopped server
// does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd = nil
}

// Restart stops the server if it runs and starts an empty one on the same
// port and socket. Data is lost: persistence is off.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	deadline := time.Now().Add(startTimeout)
	for {
		err := s.start()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("redistest: restarting: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	logFile := filepath.Join(s.dir, "redis.log")
	cmd := exec.Command(s.binary, append([]string{
		"--bind", "127.0.0.1",
		"--port", strconv.Itoa(s.port),
		"--unixsocket", s.Socket(),
		"--unixsocketperm", "700",
		"--dir", s.dir,
		"--save", "",
		"--appendonly", "no",
		"--daemonize", "no",
		"--logfile", logFile,
	}, s.config...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", s.binary, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	if err := waitReady(s.Addr(), done); err != nil {
		_ = cmd.Process.Kill()
		<-done
		log, _ := os.ReadFile(logFile)
		return fmt.Errorf("redis-server on port %d: %w\n%s%s", s.port, err, stderr.Bytes(), tail(log, 2000))
	}
	s.cmd, s.done = cmd, done
	return nil
}

// waitReady polls addr with PING until it answers PONG, the process exits
// or startTimeout passes.
func waitReady(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-exited:
			return errors.New("exited during start-up")
		default:
		}
		if ping(addr) == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer to PING within %v", startTimeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func ping(addr string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	buf := make([]byte, 7)
	n, err := conn.Read(buf)
	if err != nil {
		return err
	}
	if string(buf[:n]) != "+PONG\r\n" {
		return fmt.Errorf("PING answered %q", buf[:n])
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
