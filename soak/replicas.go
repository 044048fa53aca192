package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/blibli/safelink/internal/procs"
)

// shutdownDelay is how long a gateway keeps serving after SIGTERM while
// its /readyz answers 503: several of haproxy's checks, so that haproxy
// takes it out of rotation before its listeners close.
const shutdownDelay = 2 * time.Second

// checkEvery is how often haproxy asks each gateway's /readyz; two
// failures in a row take a gateway out, two successes bring it back.
const checkEvery = 250 * time.Millisecond

// ruleEvery is how often the soak adds a rule to measure its propagation.
const ruleEvery = 500 * time.Millisecond

// propagationTimeout is how long a replica may take to enforce a rule
// before the soak stops asking and counts the rule as not propagated.
const propagationTimeout = 10 * time.Second

// balancerConfig is haproxy's configuration: the public and internal
// listeners of every gateway behind one frontend each, checked on
// /readyz, a failed connection or an empty answer retried on another
// gateway, and a stats page.
var balancerConfig = template.Must(template.New("haproxy.cfg").Parse(`global
	maxconn 4096

defaults
	mode http
	timeout connect 2s
	timeout client 30s
	timeout server 30s
	timeout http-keep-alive 10s
	retries 3
	option redispatch 1
	retry-on conn-failure empty-response response-timeout
	balance roundrobin
	option httpchk GET /readyz
	default-server check inter {{.CheckEvery}} fall 2 rise 2

frontend public
	bind {{.Public}}
	default_backend public

frontend internal
	bind {{.Internal}}
	default_backend internal

backend public
{{- range $i, $gw := .Gateways}}
	server gateway{{$i}} {{$gw.Addr}}
{{- end}}

backend internal
{{- range $i, $gw := .Gateways}}
	server gateway{{$i}} {{$gw.Internal}}
{{- end}}

listen stats
	bind {{.Stats}}
	stats enable
	stats uri /stats
`))

// balancer is a haproxy in front of the gateways.
type balancer struct {
	public   string // the address of the frontend of the gateways' public listeners
	internal string // the address of the frontend of their internal listeners
	stats    string // the address of the stats page
}

// startBalancer writes haproxy's configuration for gws into dir, starts
// haproxy on free loopback ports and waits until it finds every gateway
// up.
func startBalancer(servers *procs.Group, dir string, gws []*procs.Gateway) (*balancer, error) {
	lb := &balancer{public: procs.FreeAddr(), internal: procs.FreeAddr(), stats: procs.FreeAddr()}
	cfg := filepath.Join(dir, "haproxy.cfg")
	f, err := os.Create(cfg)
	if err != nil {
		return nil, err
	}
	err = balancerConfig.Execute(f, map[string]any{
		"CheckEvery": fmt.Sprintf("%dms", checkEvery.Milliseconds()),
		"Public":     lb.public, "Internal": lb.internal, "Stats": lb.stats, "Gateways": gws,
	})
	if err := errors.Join(err, f.Close()); err != nil {
		return nil, err
	}
	// -db: in the foreground, logging to stderr.
	if _, err := servers.Start("haproxy", lb.public, "", "haproxy", "-db", "-f", cfg); err != nil {
		return nil, err
	}
	return lb, lb.waitUp(len(gws))
}

// up counts the gateways haproxy sends public traffic to.
func (lb *balancer) up() (int, error) {
	resp, err := http.Get("http://" + lb.stats + "/stats;csv")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n := 0
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		// pxname,svname,…, the 18th field is the status: UP, or UP 1/2
		// when a check has failed but not yet enough to take it out.
		f := strings.Split(sc.Text(), ",")
		if len(f) > 17 && f[0] == "public" && strings.HasPrefix(f[1], "gateway") && strings.HasPrefix(f[17], "UP") {
			n++
		}
	}
	return n, sc.Err()
}

// waitUp waits until haproxy sends public traffic to n gateways.
func (lb *balancer) waitUp(n int) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		up, err := lb.up()
		if err == nil && up == n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("haproxy finds %d gateways up, not %d, after 30s (%v)", up, n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// scaleRun measures, during the traffic, how long a rule takes to reach
// every replica, and what the clients see while one replica is stopped
// and started again.
type scaleRun struct {
	gateways  []*procs.Gateway
	restarted *procs.Gateway // the replica stopped and started again
	traffic   *traffic

	// live guards which replicas are asked for rules: a round of asking
	// holds it for reading, the restart for writing while it takes one
	// out or puts it back.
	live sync.RWMutex
	down *procs.Gateway // the replica not asked now, if any

	stopping   chan struct{}
	wg         sync.WaitGroup
	delays     []time.Duration // for each rule, the time until every live replica enforced it
	unreached  []string        // rules some replica did not enforce within propagationTimeout
	restart    restartFigures
	restartErr error
	stoppedCPU time.Duration // the CPU time the restarted replica had used when it was stopped
}

// restartFigures is what the soak saw while a replica was stopped and
// started again.
type restartFigures struct {
	out, back         time.Duration // from the SIGTERM until haproxy took it out, and put it back
	requests, failing int           // answers meanwhile, and those that went wrong
}

// startScaleRun starts adding rules through the first gateway of gws and
// timing their propagation, and, a third into duration, stops the last
// gateway with SIGTERM and starts it again.
func startScaleRun(servers *procs.Group, lb *balancer, gws []*procs.Gateway, t *traffic, duration time.Duration) *scaleRun {
	r := &scaleRun{gateways: gws, restarted: gws[len(gws)-1], traffic: t, stopping: make(chan struct{})}
	r.wg.Go(r.addRules)
	r.wg.Go(func() {
		select {
		case <-time.After(duration / 3):
		case <-r.stopping:
			return
		}
		r.restartErr = r.restartOne(servers, lb, max(duration/6, 3*time.Second))
	})
	return r
}

// wait stops adding rules, waits for the restart to end and returns its
// error.
func (r *scaleRun) wait() error {
	close(r.stopping)
	r.wg.Wait()
	return r.restartErr
}

// addRules adds a block rule every ruleEvery through the first gateway's
// admin API and times its propagation, until wait.
func (r *scaleRun) addRules() {
	for i := 0; ; i++ {
		select {
		case <-r.stopping:
			return
		case <-time.After(ruleEvery):
		}
		domain := fmt.Sprintf("sebaran-%d.com", i)
		r.live.RLock()
		start := time.Now()
		status, err := r.traffic.post("http://"+r.gateways[0].Internal+"/admin/v1/rules", "application/json",
			`{"match":"domain","value":"`+domain+`","action":"block","reason":"soak","created_by":"soak"}`, "Bearer "+procs.AdminToken)
		if err != nil || status != http.StatusCreated {
			r.unreached = append(r.unreached, fmt.Sprintf("%s: adding it answered %d %v", domain, status, err))
		} else if err := r.waitEnforced(domain, start); err != nil {
			r.unreached = append(r.unreached, err.Error())
		} else {
			r.delays = append(r.delays, time.Since(start))
		}
		r.live.RUnlock()
	}
}

// waitEnforced asks every live replica, each directly and all at once,
// for a link to domain until it blocks it.
func (r *scaleRun) waitEnforced(domain string, start time.Time) error {
	var wg sync.WaitGroup
	errs := make([]error, len(r.gateways))
	for i, gw := range r.gateways {
		if gw == r.down {
			continue
		}
		wg.Go(func() {
			link := "http://" + gw.Addr + goPath("https://promo."+domain+"/")
			for {
				resp, err := r.traffic.client.Get(link)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode == http.StatusForbidden {
						return
					}
				}
				if time.Since(start) > propagationTimeout {
					errs[i] = fmt.Errorf("%s not enforced by %s within %v (%v)", domain, gw.Name, propagationTimeout, err)
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// restartOne stops the last gateway with SIGTERM, waits pause, starts it
// again and waits until haproxy sends it traffic, counting the answers
// that went wrong from the SIGTERM until a second after that.
func (r *scaleRun) restartOne(servers *procs.Group, lb *balancer, pause time.Duration) error {
	gw := r.restarted
	r.live.Lock()
	r.down = gw
	r.live.Unlock()
	requests, failing := r.traffic.total(), r.traffic.wrongCount()
	cpu, err := gw.CPUTime()
	if err != nil {
		return err
	}
	r.stoppedCPU = cpu
	stopped := time.Now()
	stopErr := make(chan error, 1)
	go func() { stopErr <- servers.Stop(gw.Process) }()
	if err := lb.waitUp(len(r.gateways) - 1); err != nil {
		return err
	}
	r.restart.out = time.Since(stopped)
	if err := <-stopErr; err != nil {
		return fmt.Errorf("%s did not shut down cleanly on SIGTERM: %w", gw.Name, err)
	}
	time.Sleep(pause)
	if err := servers.Restart(gw.Process); err != nil {
		return err
	}
	if err := gw.WaitLists(time.Minute); err != nil {
		return err
	}
	if err := lb.waitUp(len(r.gateways)); err != nil {
		return err
	}
	r.restart.back = time.Since(stopped)
	r.live.Lock()
	r.down = nil
	r.live.Unlock()
	time.Sleep(time.Second)
	r.restart.requests, r.restart.failing = r.traffic.total()-requests, r.traffic.wrongCount()-failing
	return nil
}

// report prints the propagation of the rules and the restart, and returns
// what failed: a rule not propagated, or a p99 over maxP99.
func (r *scaleRun) report(w io.Writer, maxP99 time.Duration) []string {
	var failures []string
	if len(r.delays) > 0 {
		slices.Sort(r.delays)
		p99 := percentile(r.delays, 99)
		fmt.Fprintf(w, "rule propagation to every replica (%d rules added through %s under load, each replica asked directly): p50 %v, p99 %v, max %v\n",
			len(r.delays), r.gateways[0].Name, percentile(r.delays, 50).Round(time.Millisecond), p99.Round(time.Millisecond), r.delays[len(r.delays)-1].Round(time.Millisecond))
		if p99 > maxP99 {
			failures = append(failures, fmt.Sprintf("rule propagation p99 %v, more than %v", p99, maxP99))
		}
	}
	for _, u := range r.unreached {
		failures = append(failures, "rule not propagated: "+u)
	}
	if r.restart.back > 0 {
		fmt.Fprintf(w, "restart of %s: SIGTERM, out of haproxy after %v, back after %v; %d of %d answers went wrong from the SIGTERM until a second after it was back\n",
			r.restarted.Name, r.restart.out.Round(time.Millisecond), r.restart.back.Round(time.Millisecond), r.restart.failing, r.restart.requests)
	}
	return failures
}
