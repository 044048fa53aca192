// Package procs builds and runs the gateway and the servers around it as
// real processes for the load benchmark and the soak test: it starts them
// on free loopback ports, waits until they listen, stops them with SIGTERM,
// and reads their resident memory and open files from /proc.
package procs

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Build builds each package of pkgs (name → import path such as
// "./cmd/safelink") into a new temporary directory, and returns the
// binaries' paths by name and the directory, which the caller removes.
func Build(pkgs map[string]string) (bins map[string]string, dir string, err error) {
	dir, err = os.MkdirTemp("", "safelink-procs")
	if err != nil {
		return nil, "", err
	}
	bins = map[string]string{}
	for name, pkg := range pkgs {
		out := filepath.Join(dir, name)
		cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			os.RemoveAll(dir)
			return nil, "", fmt.Errorf("build %s: %w", pkg, err)
		}
		bins[name] = out
	}
	return bins, dir, nil
}

// FreeAddr returns a loopback address with a port free right now.
func FreeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Process is a server started by a Group.
type Process struct {
	Name string
	Addr string // the address it listens on
	cmd  *exec.Cmd
}

// Group is the set of servers one run started, to stop them all at the end.
type Group []*Process

// Start runs bin with args, pinned to cpus (a taskset CPU list) when not
// empty, its log lines copied to stderr under its name, and waits until
// addr accepts connections.
func (g *Group) Start(name, addr, cpus, bin string, args ...string) (*Process, error) {
	if cpus != "" {
		args = append([]string{"-c", cpus, bin}, args...)
		bin = "taskset"
	}
	p := &Process{Name: name, Addr: addr, cmd: exec.Command(bin, args...)}
	*g = append(*g, p)
	return p, p.launch()
}

// Restart starts p, stopped, again with the same command, and waits until
// its address accepts connections.
func (g *Group) Restart(p *Process) error {
	if p.cmd.ProcessState == nil {
		return fmt.Errorf("%s still runs", p.Name)
	}
	p.cmd = exec.Command(p.cmd.Path, p.cmd.Args[1:]...)
	return p.launch()
}

// launch starts p's command, its log lines copied to stderr under its
// name, and waits until p's address accepts connections.
func (p *Process) launch() error {
	p.cmd.Stdout = &prefixWriter{prefix: p.Name + ": "}
	p.cmd.Stderr = p.cmd.Stdout
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", p.Addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s does not listen on %s", p.Name, p.Addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop sends p SIGTERM and waits for it to exit; it returns the exit error.
func (g *Group) Stop(p *Process) error {
	if p.cmd.Process == nil || p.cmd.ProcessState != nil { // never started, or stopped
		return nil
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	return p.cmd.Wait()
}

// Settle waits until no server of the group has used CPU time for 200 ms,
// so that work left over from one load (a garbage collection, a flush)
// does not fall on the next; it gives up after within and says so.
func (g *Group) Settle(within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		before, err := g.cpuTimes()
		if err != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond)
		after, err := g.cpuTimes()
		if err != nil {
			return err
		}
		if slices.Equal(before, after) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the servers kept working for %v after the load", within)
		}
	}
}

func (g *Group) cpuTimes() ([]time.Duration, error) {
	times := make([]time.Duration, len(*g))
	for i, p := range *g {
		if p.cmd.ProcessState != nil {
			continue // stopped
		}
		t, err := p.CPUTime()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		times[i] = t
	}
	return times, nil
}

// StopAll stops every server still running.
func (g *Group) StopAll() {
	for _, p := range *g {
		_ = g.Stop(p)
	}
}

// Pid is the process id of the server (taskset execs it, so its id too).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// RSS reads the resident memory of the process in bytes (the server, not
// taskset, which execs it).
func (p *Process) RSS() (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.Pid()))
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

// userHZ is the unit of the CPU times in /proc: 100 a second on Linux.
const userHZ = 100

// CPUTime reads the CPU time the process has used, in user and kernel mode,
// over all its threads; it moves in steps of 10 ms.
func (p *Process) CPUTime() (time.Duration, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.Pid()))
	if err != nil {
		return 0, err
	}
	// The fields after the command name, which is in parentheses and may
	// hold spaces and parentheses: state, then utime and stime are the
	// 12th and 13th.
	end := strings.LastIndexByte(string(stat), ')')
	fields := strings.Fields(string(stat)[end+1:])
	if end < 0 || len(fields) < 13 {
		return 0, fmt.Errorf("unexpected /proc stat: %q", stat)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("unexpected /proc stat: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// MiB converts bytes to mebibytes, for printing.
func MiB(bytes int64) float64 { return float64(bytes) / (1 << 20) }

// OpenFiles counts the open file descriptors of the process.
func (p *Process) OpenFiles() (int, error) {
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p.Pid()))
	return len(entries), err
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
