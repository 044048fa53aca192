// Command fakesafebrowsing serves a fake Safe Browsing API v4 for local
// demos: point the gateway's Safe Browsing server URL at it, with any API
// key, to see block pages without a real key.
//
//	go run ./internal/cmd/fakesafebrowsing -addr 127.0.0.1:8090 \
//		-threats internal/fakesafebrowsing/testdata/threats.txt
//
// The threat file lists one "<type> <url>" a line; see
// fakesafebrowsing.ParseThreats.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/fakesafebrowsing"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "fakesafebrowsing:", err)
		os.Exit(2)
	}
}

// failures names the values of the -fail flag.
var failures = map[string]fakesafebrowsing.Failure{
	"none":    fakesafebrowsing.FailureNone,
	"garbage": fakesafebrowsing.FailureGarbage,
	"500":     fakesafebrowsing.FailureStatus500,
}

func run(args []string) error {
	flags := flag.NewFlagSet("fakesafebrowsing", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:8090", "address to listen on")
	threatsFile := flags.String("threats", "", "threat file, one \"<type> <url>\" a line (required)")
	random := flags.Int("random", 0, "number of random extra prefixes, to make a list as large as a real one")
	randomType := flags.String("random-type", string(verdict.ThreatMalware), "threat type of the list that gets the random prefixes")
	seed := flags.Uint64("seed", 1, "seed of the random prefixes")
	minWait := flags.Duration("min-wait", time.Minute, "minimum wait duration sent with list updates")
	cacheFor := flags.Duration("cache", 5*time.Minute, "cache duration sent with full hash answers")
	delay := flags.Duration("delay", 0, "wait before answering each request, to simulate a slow server")
	fail := flags.String("fail", "none", "answer every request with: none, garbage or 500")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	if *threatsFile == "" {
		return errors.New("-threats FILE is required")
	}
	failure, ok := failures[*fail]
	if !ok {
		return fmt.Errorf("-fail %q is not one of none, garbage, 500", *fail)
	}
	rt, err := verdict.ParseThreat(*randomType)
	if err != nil {
		return fmt.Errorf("-random-type: %w", err)
	}
	entries, err := fakesafebrowsing.ReadThreatsFile(*threatsFile)
	if err != nil {
		return err
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv, err := fakesafebrowsing.New(fakesafebrowsing.Config{
		Threats:        entries,
		RandomPrefixes: *random,
		RandomType:     rt,
		Seed:           *seed,
		MinimumWait:    *minWait,
		CacheDuration:  *cacheFor,
		Logger:         logger,
	})
	if err != nil {
		return err
	}
	srv.SetDelay(*delay)
	srv.SetFailure(failure)
	if err := srv.Start(*addr); err != nil {
		return err
	}
	logger.Info("fake Safe Browsing server listening", "url", srv.URL(), "entries", len(entries), "random_prefixes", *random)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	return srv.Stop()
}
