// Command soak runs the gateway under mixed traffic for a long time and
// checks that it neither fails nor leaks. It builds the gateway and the
// fake Safe Browsing server, starts them with a redis-server of its own on
// a free loopback port, adds a block rule, and drives redirects, warnings,
// blocks (threat list and rule), refused links, rewrites, continues and
// reports at the given concurrency. After the warm-up and again at the end
// it reads the gateway's resident memory (/proc/PID/status VmRSS),
// goroutines (go_goroutines on /metrics) and open file descriptors
// (/proc/PID/fd), and prints them with their growth and the count of each
// status. Then it stops the gateway with SIGTERM.
//
//	go run ./soak [-duration 10m] [-concurrency 32] [-warmup 30s]
//
// It exits non-zero on any 5xx, any unexpected status or failed request,
// an unclean shutdown, or growth past the noise thresholds: resident memory
// +32 MiB, goroutines +50, file descriptors +20 (flags change them).
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/blibli/safelink/internal/procs"
)

// thresholds are the growth between the two samples taken as noise.
type thresholds struct {
	rssMiB     float64
	goroutines int
	fds        int
}

func main() {
	duration := flag.Duration("duration", 10*time.Minute, "how long the traffic runs after the warm-up")
	concurrency := flag.Int("concurrency", 32, "clients sending requests at once")
	warmup := flag.Duration("warmup", 30*time.Second, "traffic before the first sample, so that pools and caches fill")
	var limits thresholds
	flag.Float64Var(&limits.rssMiB, "max-rss-growth", 32, "resident memory growth (MiB) taken as noise")
	flag.IntVar(&limits.goroutines, "max-goroutine-growth", 50, "goroutine growth taken as noise")
	flag.IntVar(&limits.fds, "max-fd-growth", 20, "open file descriptor growth taken as noise")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*duration, *warmup, *concurrency, limits); err != nil {
		log.Fatalf("soak: %v", err)
	}
}

// threats are the URLs the fake Safe Browsing server lists.
const threats = "social-engineering https://hadiah-gratis.id/\nmalware https://unduh-aplikasi.id/\n"

func run(duration, warmup time.Duration, concurrency int, limits thresholds) error {
	redisBin, err := exec.LookPath("redis-server")
	if err != nil {
		return fmt.Errorf("redis-server is missing; install it with: apt-get install -y redis-server")
	}
	bins, dir, err := procs.Build(map[string]string{
		"safelink":         "./cmd/safelink",
		"fakesafebrowsing": "./internal/cmd/fakesafebrowsing",
	})
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	threatsFile := filepath.Join(dir, "threats.txt")
	if err := os.WriteFile(threatsFile, []byte(threats), 0o644); err != nil {
		return err
	}

	var servers procs.Group
	defer servers.StopAll()
	redisAddr := procs.FreeAddr()
	_, port, _ := strings.Cut(redisAddr, ":")
	if _, err := servers.Start("redis", redisAddr, "", redisBin, "--bind", "127.0.0.1", "--port", port,
		"--dir", dir, "--save", "", "--appendonly", "no", "--loglevel", "warning"); err != nil {
		return err
	}
	fakeAddr := procs.FreeAddr()
	if _, err := servers.Start("fake Safe Browsing", fakeAddr, "", bins["fakesafebrowsing"], "-addr", fakeAddr, "-threats", threatsFile); err != nil {
		return err
	}
	gw, err := procs.StartGateway(&servers, bins["safelink"], "",
		"-redis-url", "redis://"+redisAddr, "-report-per-minute", "1000000",
		"-safebrowsing-api-key", "soak", "-safebrowsing-url", "http://"+fakeAddr)
	if err != nil {
		return err
	}
	if err := gw.WaitLists(time.Minute); err != nil {
		return err
	}
	t := newTraffic(gw, concurrency)
	if err := t.addBlockRule(); err != nil {
		return err
	}

	fmt.Printf("soak: %d clients, %v warm-up, then %v; gateway pid %d\n", concurrency, warmup, duration, gw.Pid())
	t.start()
	time.Sleep(warmup)
	first, err := takeSample(gw)
	if err != nil {
		t.stop()
		return err
	}
	fmt.Printf("after warm-up: %s\n", first)
	for end := time.Now().Add(duration); time.Now().Before(end); {
		time.Sleep(min(time.Minute, time.Until(end)))
		fmt.Printf("%s: %d requests\n", time.Until(end).Round(time.Second), t.total())
	}
	last, err := takeSample(gw)
	t.stop()
	if err != nil {
		return err
	}
	shutdownErr := servers.Stop(gw.Process)

	fmt.Printf("\n%-22s %12s %12s %12s\n", "", "start", "end", "growth")
	fmt.Printf("%-22s %12.1f %12.1f %+12.1f\n", "resident memory (MiB)", procs.MiB(first.rss), procs.MiB(last.rss), procs.MiB(last.rss-first.rss))
	fmt.Printf("%-22s %12d %12d %+12d\n", "goroutines", first.goroutines, last.goroutines, last.goroutines-first.goroutines)
	fmt.Printf("%-22s %12d %12d %+12d\n", "open files", first.fds, last.fds, last.fds-first.fds)
	fmt.Println()
	t.report(os.Stdout)

	var failures []string
	if n := t.serverErrors(); n > 0 {
		failures = append(failures, fmt.Sprintf("%d answers were 5xx", n))
	}
	if n := t.wrongCount(); n > 0 {
		failures = append(failures, fmt.Sprintf("%d requests failed or got an unexpected status", n))
	}
	if growth := procs.MiB(last.rss - first.rss); growth > limits.rssMiB {
		failures = append(failures, fmt.Sprintf("resident memory grew %.1f MiB, more than %.0f", growth, limits.rssMiB))
	}
	if growth := last.goroutines - first.goroutines; growth > limits.goroutines {
		failures = append(failures, fmt.Sprintf("goroutines grew by %d, more than %d", growth, limits.goroutines))
	}
	if growth := last.fds - first.fds; growth > limits.fds {
		failures = append(failures, fmt.Sprintf("open files grew by %d, more than %d", growth, limits.fds))
	}
	if shutdownErr != nil {
		failures = append(failures, fmt.Sprintf("the gateway did not shut down cleanly on SIGTERM: %v", shutdownErr))
	}
	if len(failures) > 0 {
		return fmt.Errorf("FAILED:\n  %s", strings.Join(failures, "\n  "))
	}
	fmt.Printf("\nPASS: no 5xx, no growth past the thresholds (memory +%.0f MiB, goroutines +%d, files +%d), clean shutdown\n",
		limits.rssMiB, limits.goroutines, limits.fds)
	return nil
}
