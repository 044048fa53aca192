// Command soak runs the gateway under mixed traffic for a long time and
// checks that it neither fails nor leaks. It builds the gateway and the
// fake Safe Browsing server, starts them with Redis on free loopback
// ports, adds a block rule, and drives redirects, warnings, blocks (threat
// list and rule), refused links, rewrites, continues and reports at the
// given concurrency. After the warm-up and again at the end it reads each
// gateway's resident memory (/proc/PID/status VmRSS), goroutines
// (go_goroutines on /metrics) and open file descriptors (/proc/PID/fd),
// and prints them with their growth, the throughput, the 99th percentile
// of the latency, the gateways' CPU time a request and the count of each
// status. Then it stops the gateways
// with SIGTERM.
//
//	go run ./soak [-duration 10m] [-concurrency 32] [-warmup 30s] [-replicas 1]
//
// With one replica, the default, the gateway has a redis-server of its
// own and the traffic goes to it. With -replicas 3, three gateways share a
// Redis Cluster (three masters, a replica each) behind Debian's haproxy,
// which checks their /readyz; the traffic goes through haproxy. During the
// traffic the soak adds a block rule through one replica's admin API every
// half second and asks each replica directly until it blocks the rule's
// domain, and reports the time until every replica did (p50, p99, max);
// halfway it stops the last replica with SIGTERM, starts it again, and
// reports the answers that went wrong meanwhile (see replicas.go).
//
// It exits non-zero on any 5xx, any unexpected status or failed request,
// an unclean shutdown, growth past the noise thresholds: resident memory
// +32 MiB, goroutines +50, file descriptors +20 (flags change them), of
// the gateways it did not restart, or a rule propagation p99 over
// -max-propagation (1s).
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
	"github.com/blibli/safelink/internal/redistest"
)

// thresholds are the growth between the two samples taken as noise, and
// the longest rule propagation at p99 taken as a pass.
type thresholds struct {
	rssMiB         float64
	goroutines     int
	fds            int
	propagationP99 time.Duration
}

// settings are the soak's flags.
type settings struct {
	duration, warmup time.Duration
	concurrency      int
	replicas         int
	limits           thresholds
}

func main() {
	var s settings
	flag.DurationVar(&s.duration, "duration", 10*time.Minute, "how long the traffic runs after the warm-up")
	flag.IntVar(&s.concurrency, "concurrency", 32, "clients sending requests at once")
	flag.DurationVar(&s.warmup, "warmup", 30*time.Second, "traffic before the first sample, so that pools and caches fill")
	flag.IntVar(&s.replicas, "replicas", 1, "gateways: 1 on a redis-server of its own; more share a Redis Cluster behind haproxy")
	flag.Float64Var(&s.limits.rssMiB, "max-rss-growth", 32, "resident memory growth (MiB) taken as noise")
	flag.IntVar(&s.limits.goroutines, "max-goroutine-growth", 50, "goroutine growth taken as noise")
	flag.IntVar(&s.limits.fds, "max-fd-growth", 20, "open file descriptor growth taken as noise")
	flag.DurationVar(&s.limits.propagationP99, "max-propagation", time.Second, "the longest p99 of the time a rule takes to reach every replica (with -replicas 2 or more)")
	flag.Parse()
	log.SetFlags(0)
	if s.replicas < 1 {
		log.Fatalf("soak: -replicas %d: at least 1", s.replicas)
	}
	if err := run(s); err != nil {
		log.Fatalf("soak: %v", err)
	}
}

// threats are the URLs the fake Safe Browsing server lists.
const threats = "social-engineering https://hadiah-gratis.id/\nmalware https://unduh-aplikasi.id/\n"

func run(s settings) (err error) {
	redis := new(owner)
	defer redis.end(&err)
	if s.replicas > 1 {
		if _, err := exec.LookPath("haproxy"); err != nil {
			return fmt.Errorf("haproxy is missing; install it with: apt-get install -y haproxy")
		}
	}
	bins, dir, err := procs.Build(map[string]string{
		"safelink":         "github.com/blibli/safelink/cmd/safelink",
		"fakesafebrowsing": "github.com/blibli/safelink/internal/cmd/fakesafebrowsing",
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
	var redisURL string
	if s.replicas == 1 {
		redisURL = redistest.Start(redis).URL()
	} else {
		redisURL = redistest.StartCluster(redis, 3, 1).URL()
	}
	fakeAddr := procs.FreeAddr()
	if _, err := servers.Start("fake Safe Browsing", fakeAddr, "", bins["fakesafebrowsing"], "-addr", fakeAddr, "-threats", threatsFile); err != nil {
		return err
	}
	var gateways []*procs.Gateway
	for i := range s.replicas {
		gw, err := procs.StartGateway(&servers, fmt.Sprintf("gateway %d", i+1), bins["safelink"], "",
			"-redis-url", redisURL, "-report-per-minute", "1000000", "-admin-per-minute", "1000000", "-shutdown-delay", shutdownDelay.String(),
			"-safebrowsing-api-key", "soak", "-safebrowsing-url", "http://"+fakeAddr)
		if err != nil {
			return err
		}
		if err := gw.WaitLists(time.Minute); err != nil {
			return err
		}
		gateways = append(gateways, gw)
	}
	public, internal := gateways[0].Addr, gateways[0].Internal
	var lb *balancer
	if s.replicas > 1 {
		if lb, err = startBalancer(&servers, dir, gateways); err != nil {
			return err
		}
		public, internal = lb.public, lb.internal
	}
	t := newTraffic(public, internal, s.concurrency)
	if err := t.addBlockRule(); err != nil {
		return err
	}

	fmt.Printf("soak: %d clients, %v warm-up, then %v; %d gateways, pids", s.concurrency, s.warmup, s.duration, s.replicas)
	for _, gw := range gateways {
		fmt.Printf(" %d", gw.Pid())
	}
	fmt.Println()
	t.start()
	time.Sleep(s.warmup)
	first, err := takeSamples(gateways)
	if err != nil {
		t.stop()
		return err
	}
	t.measure()
	var scale *scaleRun
	if lb != nil {
		scale = startScaleRun(&servers, lb, gateways, t, s.duration)
	}
	for end := time.Now().Add(s.duration); time.Now().Before(end); {
		time.Sleep(min(time.Minute, time.Until(end)))
		fmt.Printf("%s: %d requests\n", time.Until(end).Round(time.Second), t.total())
	}
	var scaleErr error
	if scale != nil {
		scaleErr = scale.wait()
	}
	last, err := takeSamples(gateways)
	t.stop()
	if err != nil {
		return err
	}
	requests, perSecond, p99 := t.rate()
	var cpu time.Duration // the gateways' CPU time since the warm-up
	for i := range gateways {
		cpu += last[i].cpu - first[i].cpu
	}
	if scale != nil {
		// The restarted gateway's first sample and its last are of two
		// processes: add what the first used until it was stopped.
		cpu += scale.stoppedCPU
	}
	var shutdownErrs []string
	for _, gw := range gateways {
		if err := servers.Stop(gw.Process); err != nil {
			shutdownErrs = append(shutdownErrs, fmt.Sprintf("%s did not shut down cleanly on SIGTERM: %v", gw.Name, err))
		}
	}

	var failures []string
	fmt.Printf("\n%-46s %12s %12s %12s\n", "", "start", "end", "growth")
	for i, gw := range gateways {
		restarted := scale != nil && gw == scale.restarted
		failures = append(failures, printGrowth(gw.Name, first[i], last[i], restarted, s.limits)...)
	}
	fmt.Printf("\nthroughput %.0f requests/s, p99 latency %v (%d clients, after the warm-up)\n", perSecond, p99.Round(10*time.Microsecond), s.concurrency)
	if requests > 0 {
		perRequest := cpu / time.Duration(requests)
		fmt.Printf("gateways' CPU time %v a request: %.0f requests/s a core\n", perRequest.Round(100*time.Nanosecond), float64(time.Second)/float64(perRequest))
	}
	if scale != nil {
		failures = append(failures, scale.report(os.Stdout, s.limits.propagationP99)...)
	}
	fmt.Println()
	t.report(os.Stdout)

	if n := t.serverErrors(); n > 0 {
		failures = append(failures, fmt.Sprintf("%d answers were 5xx", n))
	}
	if n := t.wrongCount(); n > 0 {
		failures = append(failures, fmt.Sprintf("%d requests failed or got an unexpected status", n))
	}
	if scaleErr != nil {
		failures = append(failures, scaleErr.Error())
	}
	failures = append(failures, shutdownErrs...)
	if len(failures) > 0 {
		return fmt.Errorf("FAILED:\n  %s", strings.Join(failures, "\n  "))
	}
	fmt.Printf("\nPASS: no 5xx, no growth past the thresholds (memory +%.0f MiB, goroutines +%d, files +%d), clean shutdown\n",
		s.limits.rssMiB, s.limits.goroutines, s.limits.fds)
	return nil
}

// printGrowth prints what the soak watches of one gateway at the start
// and the end, and returns the growths past limits; a restarted gateway's
// growth is printed only.
func printGrowth(name string, first, last sample, restarted bool, limits thresholds) []string {
	if restarted {
		name += " (restarted)"
	}
	fmt.Printf("%-46s %12.1f %12.1f %+12.1f\n", name+": resident memory (MiB)", procs.MiB(first.rss), procs.MiB(last.rss), procs.MiB(last.rss-first.rss))
	fmt.Printf("%-46s %12d %12d %+12d\n", name+": goroutines", first.goroutines, last.goroutines, last.goroutines-first.goroutines)
	fmt.Printf("%-46s %12d %12d %+12d\n", name+": open files", first.fds, last.fds, last.fds-first.fds)
	if restarted {
		return nil
	}
	var failures []string
	if growth := procs.MiB(last.rss - first.rss); growth > limits.rssMiB {
		failures = append(failures, fmt.Sprintf("%s: resident memory grew %.1f MiB, more than %.0f", name, growth, limits.rssMiB))
	}
	if growth := last.goroutines - first.goroutines; growth > limits.goroutines {
		failures = append(failures, fmt.Sprintf("%s: goroutines grew by %d, more than %d", name, growth, limits.goroutines))
	}
	if growth := last.fds - first.fds; growth > limits.fds {
		failures = append(failures, fmt.Sprintf("%s: open files grew by %d, more than %d", name, growth, limits.fds))
	}
	return failures
}

// owner runs the soak's Redis servers: it stops them when the run ends,
// and a failure to start them ends the run with its error.
type owner struct{ cleanups []func() }

// failure is what owner's Fatal panics with, for end to recover.
type failure string

func (o *owner) Helper()                           {}
func (o *owner) Fatal(args ...any)                 { panic(failure(fmt.Sprint(args...))) }
func (o *owner) Fatalf(format string, args ...any) { panic(failure(fmt.Sprintf(format, args...))) }
func (o *owner) Cleanup(f func())                  { o.cleanups = append(o.cleanups, f) }

// end runs the clean-ups, the last registered first, and turns a failure
// into *err; it must be deferred.
func (o *owner) end(err *error) {
	r := recover()
	for i := len(o.cleanups) - 1; i >= 0; i-- {
		o.cleanups[i]()
	}
	if f, ok := r.(failure); ok {
		*err = fmt.Errorf("%s", f)
	} else if r != nil {
		panic(r)
	}
}
