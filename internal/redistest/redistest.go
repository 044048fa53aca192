// Package redistest runs real Redis topologies for tests and the soak: a
// single redis-server, a Cluster (cluster.go) and a Sentinel group
// (sentinel.go). Each process runs privately on a free loopback port in a
// temporary directory of its own, with persistence off, and is stopped when
// its Owner ends. Fault tests can stop, kill and restart a server on the
// same address.
//
// A test that needs Redis fails, not skips, when a binary is missing, so
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
	"time"
)

// InstallHint tells how to get the binaries this package needs.
const InstallHint = "redis-server, redis-cli or redis-sentinel is not installed; install them with: apt-get install -y redis-server redis-sentinel"

// Owner runs servers of this package and stops them at its end: a test
// (testing.TB is one), or a command such as the soak, whose Fatal ends its
// run.
type Owner interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	// Cleanup registers f to run when the owner ends, the last registered first.
	Cleanup(f func())
}

// startTimeout bounds how long a starting server may take to answer PING.
const startTimeout = 10 * time.Second

// Server is one redis-server (or redis-sentinel) process owned by a test.
type Server struct {
	t        Owner
	binary   string
	dir      string
	port     int
	confFile string   // a configuration file read first, for redis-sentinel; none when empty
	config   []string // settings, as command-line arguments

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

// Start runs a new redis-server for t on a free port and a unix socket and
// waits until it answers. It is stopped when t ends. Config holds more
// settings in redis-server's command-line form, such as
// "--rename-command", "AUTH", "".
func Start(t Owner, config ...string) *Server {
	t.Helper()
	s := newServer(t, "redis-server")
	s.config = append([]string{
		"--unixsocket", s.Socket(),
		"--unixsocketperm", "700",
		"--save", "",
		"--appendonly", "no",
		"--repl-diskless-sync", "yes",
		"--repl-diskless-sync-delay", "0",
	}, config...)
	s.startOnFreePort(nil)
	return s
}

// newServer prepares a Server of binary, not yet started, in a new
// directory removed when t ends.
func newServer(t Owner, binary string) *Server {
	t.Helper()
	path, err := exec.LookPath(binary)
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
	s := &Server{t: t, binary: path, dir: dir}
	t.Cleanup(s.Stop)
	return s
}

// startOnFreePort picks a free port and starts s on it. Before each try,
// prepare (when not nil) may write files that name the port.
func (s *Server) startOnFreePort(prepare func() error) {
	s.t.Helper()
	var err error
	for range 3 { // another process may take the free port before the server binds it
		if s.port, err = freePort(); err != nil {
			s.t.Fatalf("redistest: finding a free port: %v", err)
		}
		if prepare != nil {
			if err = prepare(); err != nil {
				s.t.Fatalf("redistest: %v", err)
			}
		}
		if err = s.start(); err == nil {
			return
		}
	}
	s.t.Fatalf("redistest: %v", err)
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

// Kill ends the server at once with SIGKILL, as a crash would, and waits
// for it to exit. Killing a stopped server does nothing.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
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
	var args []string
	if s.confFile != "" {
		args = append(args, s.confFile)
	}
	args = append(args,
		"--bind", "127.0.0.1",
		"--port", strconv.Itoa(s.port),
		"--dir", s.dir,
		"--daemonize", "no",
		"--logfile", logFile,
	)
	cmd := exec.Command(s.binary, append(args, s.config...)...)
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
		return fmt.Errorf("%s on port %d: %w\n%s%s", filepath.Base(s.binary), s.port, err, stderr.Bytes(), tail(log, 2000))
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
