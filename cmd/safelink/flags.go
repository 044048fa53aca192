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

// parseFlags parses args, flags before, between or after the positional
// arguments, then sets each flag not given on the command line from its
// environment variable when that is set. Everything after a "--" in the
// place of a flag is positional; fs.Args() returns the positional
// arguments in order. It returns flag.ErrHelp for -h.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	flags, positional := splitArgs(fs, args)
	if err := fs.Parse(flags); err != nil {
		return err
	}
	// Parsing a "--" and what follows sets fs.Args(); it cannot fail.
	_ = fs.Parse(append([]string{"--"}, positional...))
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

// splitArgs separates the flags of args, each with its value when it takes
// one as the next argument, from the positional arguments.
func splitArgs(fs *flag.FlagSet, args []string) (flags, positional []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return flags, append(positional, args[i+1:]...)
		case len(a) < 2 || a[0] != '-':
			positional = append(positional, a)
		default:
			flags = append(flags, a)
			if takesNextArg(fs, a) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return flags, positional
}

// takesNextArg reports whether the flag argument a (-name or --name, not
// -name=value) is a flag of fs whose value is the next argument: one that
// is not boolean.
func takesNextArg(fs *flag.FlagSet, a string) bool {
	name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
	if strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
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
