package main

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/blibli/safelink/internal/procs"
)

// sample is what the soak watches of the gateway process.
type sample struct {
	rss        int64
	goroutines int
	fds        int
	cpu        time.Duration // CPU time used since the process started
}

// takeSamples samples each gateway of gws.
func takeSamples(gws []*procs.Gateway) ([]sample, error) {
	samples := make([]sample, len(gws))
	for i, gw := range gws {
		var err error
		if samples[i], err = takeSample(gw); err != nil {
			return nil, fmt.Errorf("%s: %w", gw.Name, err)
		}
	}
	return samples, nil
}

func takeSample(gw *procs.Gateway) (sample, error) {
	var s sample
	var err error
	if s.rss, err = gw.RSS(); err != nil {
		return s, err
	}
	if s.fds, err = gw.OpenFiles(); err != nil {
		return s, err
	}
	if s.cpu, err = gw.CPUTime(); err != nil {
		return s, err
	}
	s.goroutines, err = goroutines(gw.Internal)
	return s, err
}

// goroutines reads go_goroutines from the gateway's /metrics.
func goroutines(internal string) (int, error) {
	resp, err := http.Get("http://" + internal + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "go_goroutines "); ok {
			return strconv.Atoi(v)
		}
	}
	return 0, errors.New("no go_goroutines on /metrics")
}
