// Command bench is the load benchmark of the gateway: it builds the gateway,
// a baseline echo server that only answers 302, and the fake Safe Browsing
// server with a million prefixes in its lists; starts them, the servers
// pinned to one core and the load generator (wrk) to the other; drives each
// scenario for a fixed time at a fixed concurrency, in rounds that take
// the scenarios in turn; and prints the median over the rounds of requests
// per second, p50 and p99 latency, each as a ratio to the baseline measured
// in the same rounds, and the gateway's resident memory idle and with the
// lists loaded.
//
//	go run ./bench [-duration 10s] [-rounds 5] [-connections 16] [-prefixes 1000000]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/blibli/safelink/internal/procs"
)

func main() {
	duration := flag.Duration("duration", 10*time.Second, "how long each scenario runs in all, spread over the rounds")
	rounds := flag.Int("rounds", 5, "rounds that take every scenario in turn")
	connections := flag.Int("connections", 16, "concurrent connections of the load generator")
	prefixes := flag.Int("prefixes", 1_000_000, "random prefixes added to the fake Safe Browsing lists")
	flag.Parse()
	log.SetFlags(0)
	if *rounds < 1 || *duration < time.Duration(*rounds)*time.Second {
		log.Fatalf("bench: -rounds must be at least 1, and -duration at least a second a round")
	}
	if err := run(*duration, *rounds, *connections, *prefixes); err != nil {
		log.Fatalf("bench: %v", err)
	}
}

func run(duration time.Duration, rounds, connections, prefixes int) error {
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
	perRound := (duration / time.Duration(rounds)).Round(time.Second)
	fmt.Printf("load: wrk, 1 thread, %d connections, %d rounds of %v a scenario; servers on CPU %s, wrk on CPU %s\n\n",
		connections, rounds, perRound, cpus.serverName(), cpus.loadName())
	for _, s := range scenarios {
		if err := s.check(); err != nil {
			return err
		}
	}
	// Each round takes every scenario in turn, so that the machine's slow
	// and fast moments fall on the baseline and the gateway alike; the
	// median of the rounds is the figure.
	runs := make([][]result, len(scenarios))
	for range rounds {
		for i, s := range scenarios {
			r, err := s.load(cpus.load, connections, perRound)
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			runs[i] = append(runs[i], r)
		}
	}
	results := make([]result, len(scenarios))
	for i := range runs {
		results[i] = median(runs[i])
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

// median returns the median of each figure of runs, and every error seen.
func median(runs []result) result {
	m := result{name: runs[0].name}
	rps := make([]float64, len(runs))
	p50, p99 := make([]time.Duration, len(runs)), make([]time.Duration, len(runs))
	for i, r := range runs {
		rps[i], p50[i], p99[i] = r.rps, r.p50, r.p99
		m.errors += r.errors
	}
	m.rps, m.p50, m.p99 = middle(rps), middle(p50), middle(p99)
	return m
}

// middle returns the median of values: the middle one, or the mean of the
// two middle ones.
func middle[T float64 | time.Duration](values []T) T {
	slices.Sort(values)
	n := len(values)
	if n%2 == 1 {
		return values[n/2]
	}
	return (values[n/2-1] + values[n/2]) / 2
}

// printResults prints the table of results with ratios to the baseline,
// the first result.
func printResults(results []result) {
	base := results[0]
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
