// Command bench is the load benchmark of the gateway: it builds the gateway,
// a baseline echo server that only answers 302, and the fake Safe Browsing
// server with a million prefixes in its lists; starts them, the servers
// pinned to one core and the load generator (wrk) to the other; drives each
// scenario for a fixed time at a fixed concurrency; and prints requests per
// second, p50 and p99 latency, each as a ratio to the baseline measured in
// the same run (first and last, the faster run counting), and the
// gateway's resident memory idle and with the lists loaded.
//
//	go run ./bench [-duration 10s] [-connections 16] [-prefixes 1000000]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/blibli/safelink/internal/procs"
)

func main() {
	duration := flag.Duration("duration", 10*time.Second, "how long each scenario runs")
	connections := flag.Int("connections", 16, "concurrent connections of the load generator")
	prefixes := flag.Int("prefixes", 1_000_000, "random prefixes added to the fake Safe Browsing lists")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*duration, *connections, *prefixes); err != nil {
		log.Fatalf("bench: %v", err)
	}
}

func run(duration time.Duration, connections, prefixes int) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return fmt.Errorf("the load generator wrk is missing; install it with: apt-get install -y wrk")
	}
	bins, dir, err := procs.Build(map[string]string{
		"safelink":         "./cmd/safelink",
		"baseline":         "./bench/baseline",
		"fakesafebrowsing": "./internal/cmd/fakesafebrowsing",
	})
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cpus := pinning()
	var servers procs.Group
	defer servers.StopAll()

	idleRSS, err := measureIdle(bins, cpus, &servers)
	if err != nil {
		return err
	}
	baselineAddr := procs.FreeAddr()
	baseline, err := servers.Start("baseline", baselineAddr, cpus.server, bins["baseline"], "-addr", baselineAddr)
	if err != nil {
		return err
	}
	fakeAddr := procs.FreeAddr()
	fake, err := servers.Start("fake Safe Browsing", fakeAddr, cpus.load, bins["fakesafebrowsing"], "-addr", fakeAddr,
		"-threats", filepath.Join("bench", "threats.txt"), "-random", fmt.Sprint(prefixes))
	if err != nil {
		return err
	}
	gw, err := procs.StartGateway(&servers, bins["safelink"], cpus.server,
		"-safebrowsing-api-key", "bench", "-safebrowsing-url", "http://"+fake.Addr)
	if err != nil {
		return err
	}
	if err := gw.WaitLists(2 * time.Minute); err != nil {
		return err
	}
	scenarios, err := newScenarios(dir, baseline, gw)
	if err != nil {
		return err
	}
	fmt.Printf("load: wrk, 1 thread, %d connections, %v a scenario; servers on CPU %s, wrk on CPU %s\n\n",
		connections, duration, cpus.serverName(), cpus.loadName())
	// The baseline runs first and again last, and the faster of its two
	// runs is the yardstick, so that a slow moment of the machine never
	// flatters the gateway.
	baselineAgain := scenarios[0]
	baselineAgain.name += ", again"
	var results []result
	for _, s := range append(scenarios, baselineAgain) {
		if err := s.check(); err != nil {
			return err
		}
		r, err := s.load(cpus.load, connections, duration)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		results = append(results, r)
	}
	listsRSS, err := gw.RSS()
	if err != nil {
		return err
	}
	printResults(results)
	fmt.Printf("\ngateway resident memory: idle %.1f MiB; with %d prefixes in the lists, after the load %.1f MiB\n",
		procs.MiB(idleRSS), prefixes, procs.MiB(listsRSS))
	return nil
}

// measureIdle starts a gateway without threat lists and reads its resident
// memory once it is ready and has settled.
func measureIdle(bins map[string]string, cpus cpuPlan, servers *procs.Group) (int64, error) {
	idle, err := procs.StartGateway(servers, bins["safelink"], cpus.server)
	if err != nil {
		return 0, err
	}
	time.Sleep(time.Second)
	rss, err := idle.RSS()
	_ = servers.Stop(idle.Process)
	return rss, err
}

// cpuPlan says where the servers and the load generator run.
type cpuPlan struct {
	server, load string // taskset CPU lists; empty: not pinned
}

// pinning puts the servers on CPU 0 and the load generator on CPU 1 when
// the machine has two cores and taskset.
func pinning() cpuPlan {
	if runtime.NumCPU() < 2 {
		return cpuPlan{}
	}
	if _, err := exec.LookPath("taskset"); err != nil {
		return cpuPlan{}
	}
	return cpuPlan{server: "0", load: "1"}
}

func (c cpuPlan) serverName() string { return orAny(c.server) }
func (c cpuPlan) loadName() string   { return orAny(c.load) }

func orAny(s string) string {
	if s == "" {
		return "any (not pinned)"
	}
	return s
}

// printResults prints the table of results with ratios to the baseline:
// the first result or the last, whichever served more requests.
func printResults(results []result) {
	base := results[0]
	if last := results[len(results)-1]; last.rps > base.rps {
		base = last
	}
	fmt.Printf("%-28s %12s %9s %9s %10s %10s %10s\n", "scenario", "requests/s", "p50", "p99", "rps ratio", "p50 ratio", "p99 ratio")
	for _, r := range results {
		fmt.Printf("%-28s %12.0f %9s %9s %10.2f %10.2f %10.2f\n", r.name, r.rps,
			fmtLatency(r.p50), fmtLatency(r.p99), r.rps/base.rps, float64(r.p50)/float64(base.p50), float64(r.p99)/float64(base.p99))
	}
	for _, r := range results {
		if r.errors != "" {
			fmt.Printf("%s: %s\n", r.name, strings.TrimSpace(r.errors))
		}
	}
}

func fmtLatency(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}
