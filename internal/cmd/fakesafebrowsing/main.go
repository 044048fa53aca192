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
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/fakecmd"
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
	flags := fakecmd.NewFlags("fakesafebrowsing", "127.0.0.1:8090", string(verdict.ThreatMalware), failures)
	minWait := flags.Set.Duration("min-wait", time.Minute, "minimum wait duration sent with list updates")
	cacheFor := flags.Set.Duration("cache", 5*time.Minute, "cache duration sent with full hash answers")
	if err := flags.Parse(args); err != nil {
		return err
	}
	rt, err := verdict.ParseThreat(flags.RandomType)
	if err != nil {
		return fmt.Errorf("-random-type: %w", err)
	}
	entries, err := fakesafebrowsing.ReadThreatsFile(flags.Threats)
	if err != nil {
		return err
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv, err := fakesafebrowsing.New(fakesafebrowsing.Config{
		Threats:        entries,
		RandomPrefixes: flags.Random,
		RandomType:     rt,
		Seed:           flags.Seed,
		MinimumWait:    *minWait,
		CacheDuration:  *cacheFor,
		Logger:         logger,
	})
	if err != nil {
		return err
	}
	if err := flags.Start(srv); err != nil {
		return err
	}
	logger.Info("fake Safe Browsing server listening", "url", srv.URL(), "entries", len(entries), "random_prefixes", flags.Random)
	fakecmd.WaitForSignal()
	return srv.Stop()
}
