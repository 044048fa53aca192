// Command bench is the load benchmark of the gateway: it builds the gateway,
// a baseline echo server that only answers 302 (run a second time strict:
// with the gateway's security headers and server timeouts), and the fake
// Safe Browsing and Web Risk servers with a million prefixes in their
// lists, each behind a gateway of its own, and a fake shortener behind a
// forward proxy that the first gateway expands short links through; starts them,
// the servers pinned to one core and the load generator (wrk) to the other;
// drives each scenario for a fixed time at a fixed concurrency, in rounds
// that take the scenarios in turn; and prints the median over the rounds
// of requests per second, p50 and p99 latency, and of each one's ratio to
// the baseline's figure of the same round, and the gateway's resident
// memory idle and with the lists loaded.
//
//	go run ./bench [-duration 10s] [-rounds 10] [-connections 16] [-prefixes 1000000]
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
	rounds := flag.Int("rounds", 10, "rounds that take every scenario in turn")
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
		"fakewebrisk":      "./internal/cmd/fakewebrisk",
		"fakeshortener":    "./internal/cmd/fakeshortener",
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
	baselineAddr, strictAddr := procs.FreeAddr(), procs.FreeAddr()
	baseline, err := servers.Start("baseline", baselineAddr, cpus.server, bins["baseline"], "-addr", baselineAddr)
	if err != nil {
		return err
	}
	strict, err := servers.Start("strict baseline", strictAddr, cpus.server, bins["baseline"], "-addr", strictAddr, "-strict")
	if err != nil {
		return err
	}
	fakeAddr := procs.FreeAddr()
	fake, err := servers.Start("fake Safe Browsing", fakeAddr, cpus.load, bins["fakesafebrowsing"], "-addr", fakeAddr,
		"-threats", filepath.Join("bench", "threats.txt"), "-random", fmt.Sprint(prefixes))
	if err != nil {
		return err
	}
	shortenerAddr := procs.FreeAddr()
	shortener, err := servers.Start("fake shortener", shortenerAddr, cpus.load, bins["fakeshortener"], "-addr", shortenerAddr)
	if err != nil {
		return err
	}
	gw, err := procs.StartGateway(&servers, "gateway", bins["safelink"], cpus.server,
		"-safebrowsing-api-key", "bench", "-safebrowsing-url", "http://"+fake.Addr,
		"-expand=true", "-expand-proxy", "http://"+shortener.Addr)
	if err != nil {
		return err
	}
	if err := gw.WaitLists(2 * time.Minute); err != nil {
		return err
	}
	wr, err := startWebRiskGateway(bins, cpus, &servers, prefixes)
	if err != nil {
		return err
	}
	scenarios, err := newScenarios(dir, baseline, strict, gw, wr)
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
	// and fast moments, which come and go within seconds on a shared
	// machine, fall on the baseline and the gateway alike. Each run starts
	// once the servers are idle: the gateway's garbage collection after
	// the rewrite load once took 2-3% of the baseline's next second.
	runs := make([][]result, len(scenarios))
	for range rounds {
		for i, s := range scenarios {
			if err := servers.Settle(5 * time.Second); err != nil {
				return err
			}
			r, err := s.load(cpus.load, connections, perRound)
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			runs[i] = append(runs[i], r)
		}
	}
	listsRSS, err := gw.RSS()
	if err != nil {
		return err
	}
	printResults(runs)
	webRiskRSS, err := wr.RSS()
	if err != nil {
		return err
	}
	fmt.Printf("\ngateway resident memory: idle %.1f MiB; with %d prefixes in the lists, after the load: Safe Browsing %.1f MiB, Web Risk %.1f MiB\n",
		procs.MiB(idleRSS), prefixes, procs.MiB(listsRSS), procs.MiB(webRiskRSS))
	return nil
}

// startWebRiskGateway starts the fake Web Risk server with as many random
// prefixes as the Safe Browsing one, and a gateway that checks links
// against it through the official client, and waits for its lists.
func startWebRiskGateway(bins map[string]string, cpus cpuPlan, servers *procs.Group, prefixes int) (*procs.Gateway, error) {
	addr := procs.FreeAddr()
	fake, err := servers.Start("fake Web Risk", addr, cpus.load, bins["fakewebrisk"], "-addr", addr,
		"-threats", filepath.Join("bench", "threats.txt"), "-random", fmt.Sprint(prefixes))
	if err != nil {
		return nil, err
	}
	wr, err := procs.StartGateway(servers, "gateway", bins["safelink"], cpus.server,
		"-webrisk-api-key", "bench", "-webrisk-endpoint", "http://"+fake.Addr)
	if err != nil {
		return nil, err
	}
	return wr, wr.WaitLists(2 * time.Minute)
}

// measureIdle starts a gateway without threat lists and reads its resident
// memory once it is ready and has settled.
func measureIdle(bins map[string]string, cpus cpuPlan, servers *procs.Group) (int64, error) {
	idle, err := procs.StartGateway(servers, "gateway", bins["safelink"], cpus.server)
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

// figures are a scenario's medians over the rounds: of its own figures,
// and of their ratios to the baseline's figures of the same round.
type figures struct {
	name               string
	rps, rpsRatio      float64
	p50, p99           time.Duration
	p50Ratio, p99Ratio float64
	cpuPerRequest      time.Duration
	busy               float64
	errors             string // every round's, if any
}

// summarize returns the figures of a scenario's runs, one a round, against
// the baseline's runs of the same rounds.
func summarize(runs, baseline []result) figures {
	f := figures{name: runs[0].name}
	n := len(runs)
	rps, rpsRatio := make([]float64, n), make([]float64, n)
	p50, p99 := make([]time.Duration, n), make([]time.Duration, n)
	p50Ratio, p99Ratio := make([]float64, n), make([]float64, n)
	cpu, busy := make([]time.Duration, n), make([]float64, n)
	for i, r := range runs {
		b := baseline[i]
		rps[i], p50[i], p99[i], cpu[i], busy[i] = r.rps, r.p50, r.p99, r.cpuPerRequest, r.busy
		rpsRatio[i], p50Ratio[i], p99Ratio[i] = r.rps/b.rps, float64(r.p50)/float64(b.p50), float64(r.p99)/float64(b.p99)
		f.errors += r.errors
	}
	f.rps, f.p50, f.p99, f.cpuPerRequest, f.busy = middle(rps), middle(p50), middle(p99), middle(cpu), middle(busy)
	f.rpsRatio, f.p50Ratio, f.p99Ratio = middle(rpsRatio), middle(p50Ratio), middle(p99Ratio)
	return f
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

// printResults prints the figures of each scenario's runs, the baseline's
// first. A server busy well below 1.00 was not the bottleneck of its runs:
// its requests/s then tell less than its CPU time a request.
func printResults(runs [][]result) {
	fmt.Printf("%-30s %10s %8s %8s %9s %9s %9s %11s %5s\n", "scenario", "requests/s", "p50", "p99",
		"rps ratio", "p50 ratio", "p99 ratio", "CPU/request", "busy")
	all := make([]figures, len(runs))
	for i := range runs {
		f := summarize(runs[i], runs[0])
		all[i] = f
		fmt.Printf("%-30s %10.0f %8s %8s %9.2f %9.2f %9.2f %9.1fµs %5.2f\n", f.name, f.rps,
			fmtLatency(f.p50), fmtLatency(f.p99), f.rpsRatio, f.p50Ratio, f.p99Ratio,
			float64(f.cpuPerRequest)/float64(time.Microsecond), f.busy)
	}
	for _, f := range all {
		if f.errors != "" {
			fmt.Printf("%s: %s\n", f.name, strings.TrimSpace(f.errors))
		}
	}
}

func fmtLatency(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}
