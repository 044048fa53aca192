// Command fakewebrisk serves a fake Google Web Risk API, plaintext gRPC, for
// local demos: point the gateway's Web Risk endpoint at it, with any API
// key, to see block pages without a real key or service account.
//
//	go run ./internal/cmd/fakewebrisk -addr 127.0.0.1:8091 \
//		-threats internal/fakewebrisk/testdata/threats.txt
//
// The threat file lists one "<type> <url>" a line; see
// fakewebrisk.ParseThreats.
package main

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/blibli/safelink/internal/fakecmd"
	"github.com/blibli/safelink/internal/fakewebrisk"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "fakewebrisk:", err)
		os.Exit(2)
	}
}

// failures names the values of the -fail flag.
var failures = map[string]fakewebrisk.Failure{
	"none":         fakewebrisk.FailureNone,
	"unavailable":  fakewebrisk.FailureUnavailable,
	"429":          fakewebrisk.FailureResourceExhausted,
	"bad-checksum": fakewebrisk.FailureBadChecksum,
	"bad-rice":     fakewebrisk.FailureBadRice,
}

func run(args []string) error {
	flags := fakecmd.NewFlags("fakewebrisk", "127.0.0.1:8091", "malware", failures)
	nextDiff := flags.Set.Duration("next-diff", time.Minute, "how long after a diff the next one is recommended")
	cacheFor := flags.Set.Duration("cache", 5*time.Minute, "how long full hash answers may be cached")
	if err := flags.Parse(args); err != nil {
		return err
	}
	rt, err := fakewebrisk.ParseThreatType(flags.RandomType)
	if err != nil {
		return fmt.Errorf("-random-type: %w", err)
	}
	entries, err := fakewebrisk.ReadThreatsFile(flags.Threats)
	if err != nil {
		return err
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv, err := fakewebrisk.New(fakewebrisk.Config{
		Threats:        entries,
		RandomPrefixes: flags.Random,
		RandomType:     rt,
		Seed:           flags.Seed,
		NextDiff:       *nextDiff,
		CacheDuration:  *cacheFor,
		Logger:         logger,
	})
	if err != nil {
		return err
	}
	if err := flags.Start(srv); err != nil {
		return err
	}
	logger.Info("fake Web Risk server listening", "addr", srv.Addr(), "entries", len(entries), "random_prefixes", flags.Random)
	fakecmd.WaitForSignal()
	srv.Stop()
	return nil
}
