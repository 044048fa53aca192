// Package fakecmd holds what the commands of the fake servers share: the
// flags that set any fake's lists and failures, and serving until a signal.
package fakecmd

import (
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Flags are the flags every fake server command takes, with the values
// Parse gives them. F is the fake's type of failure.
type Flags[F any] struct {
	// Set is the flag set, for the flags of one fake only.
	Set *flag.FlagSet

	Addr       string        // -addr: the address to listen on
	Threats    string        // -threats: the threat file
	Random     int           // -random: how many random prefixes to add
	RandomType string        // -random-type: the list that gets them
	Seed       uint64        // -seed: the seed of the random prefixes
	Delay      time.Duration // -delay: the wait before each answer
	Failure    F             // -fail: the failure named in failures

	fail     string
	failures map[string]F
}

// NewFlags returns the flags of the command name, with addr and randomType
// as the defaults of -addr and -random-type. The values of -fail are the
// names of failures, "none" the default.
func NewFlags[F any](name, addr, randomType string, failures map[string]F) *Flags[F] {
	f := &Flags[F]{Set: flag.NewFlagSet(name, flag.ContinueOnError), failures: failures}
	f.Set.StringVar(&f.Addr, "addr", addr, "address to listen on")
	f.Set.StringVar(&f.Threats, "threats", "", "threat file, one \"<type> <url>\" a line (required)")
	f.Set.IntVar(&f.Random, "random", 0, "number of random extra prefixes, to make a list as large as a real one")
	f.Set.StringVar(&f.RandomType, "random-type", randomType, "threat type of the list that gets the random prefixes")
	f.Set.Uint64Var(&f.Seed, "seed", 1, "seed of the random prefixes")
	f.Set.DurationVar(&f.Delay, "delay", 0, "wait before answering each request, to simulate a slow server")
	f.Set.StringVar(&f.fail, "fail", "none", "fail every request with: "+f.failureNames())
	return f
}

func (f *Flags[F]) failureNames() string {
	return strings.Join(slices.Sorted(maps.Keys(f.failures)), ", ")
}

// Parse parses args. It refuses arguments after the flags, a missing
// -threats and a -fail that names no failure.
func (f *Flags[F]) Parse(args []string) error {
	if err := f.Set.Parse(args); err != nil {
		return err
	}
	if f.Set.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", f.Set.Args())
	}
	if f.Threats == "" {
		return errors.New("-threats FILE is required")
	}
	failure, ok := f.failures[f.fail]
	if !ok {
		return fmt.Errorf("-fail %q is not one of %s", f.fail, f.failureNames())
	}
	f.Failure = failure
	return nil
}

// A Server is a fake server whose failures are of type F.
type Server[F any] interface {
	SetDelay(time.Duration)
	SetFailure(F)
	Start(addr string) error
}

// Start starts srv on -addr, as slow and failing as -delay and -fail say.
func (f *Flags[F]) Start(srv Server[F]) error {
	srv.SetDelay(f.Delay)
	srv.SetFailure(f.Failure)
	return srv.Start(f.Addr)
}

// WaitForSignal returns when the process gets SIGINT or SIGTERM.
func WaitForSignal() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	<-signals
}
