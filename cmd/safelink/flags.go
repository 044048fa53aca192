package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// envPrefix starts the environment variable of every flag.
const envPrefix = "SAFELINK_"

// envName is the environment variable that sets flag name.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// newFlagSet returns a flag set whose -h lists every flag with its
// environment variable and default.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: safelink %s\n\nFlags (environment variable in brackets):\n", synopsis)
		fs.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(stderr, "  -%s [%s]\n    \t%s", f.Name, envName(f.Name), f.Usage)
			if f.DefValue != "" {
				fmt.Fprintf(stderr, " (default %q)", f.DefValue)
			}
			fmt.Fprintln(stderr)
		})
	}
	return fs
}

// parseFlags parses args, then sets each flag not given on the command line
// from its environment variable when that is set. It returns flag.ErrHelp
// for -h.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] {
			return
		}
		if v := getenv(envName(f.Name)); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %v", envName(f.Name), v, err))
			}
		}
	})
	return errors.Join(errs...)
}

// parseOrExit parses flags and returns the exit code to stop with, or -1 to
// go on.
func parseOrExit(fs *flag.FlagSet, e env) int {
	err := parseFlags(fs, e.args, e.getenv)
	switch {
	case err == nil:
		return -1
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	}
	fmt.Fprintf(e.stderr, "safelink %s: %v\n", fs.Name(), err)
	return exitUsage
}
