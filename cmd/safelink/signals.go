package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/signals"
)

// signalsFlags say where the signal patterns come from.
type signalsFlags struct {
	dir string
}

func (s *signalsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.dir, "signals-dir", "", "directory with the signal pattern files (*.txt); empty uses the embedded patterns")
}

// load reads the signal patterns.
func (s *signalsFlags) load() (*signals.Detector, error) {
	return loadFiles(s.dir, safelink.Signals(), "signal patterns", signals.Load)
}

// signalsSynopses are the subcommands of "safelink signals".
var signalsSynopses = map[string]string{
	"lint": "signals lint [-signals-dir DIR]",
	"test": "signals test [-signals-dir DIR] MESSAGE...",
}

// signalsCommand runs "safelink signals lint", which checks the pattern
// files, and "safelink signals test", which shows what each message raises
// and why.
func signalsCommand(e env) int {
	if len(e.args) == 0 || signalsSynopses[e.args[0]] == "" {
		fmt.Fprint(e.stderr, "safelink signals: expected \"lint\" or \"test\"\n\n"+usage)
		return exitUsage
	}
	sub := e.args[0]
	e.args = e.args[1:]
	var s signalsFlags
	fs := newFlagSet("signals "+sub, signalsSynopses[sub], e.stderr)
	s.register(fs)
	if code := parseOrExit(fs, e); code >= 0 {
		return code
	}
	switch {
	case sub == "lint" && fs.NArg() > 0:
		fmt.Fprintln(e.stderr, "safelink signals lint: give the directory with -signals-dir")
		return exitUsage
	case sub == "test" && fs.NArg() == 0:
		fmt.Fprintln(e.stderr, "safelink signals test: give a message to test, in quotes")
		return exitUsage
	}
	d, err := s.load()
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitFail
	}
	if sub == "lint" {
		for _, f := range d.Files() {
			fmt.Fprintf(e.stdout, "%s: %d lists, %d match lines, %d unless lines\n", f.File, f.Lists, f.Matches, f.Unless)
		}
		fmt.Fprintf(e.stdout, "signal patterns %s are valid\n", dirSource(s.dir))
		return exitOK
	}
	for _, msg := range fs.Args() {
		printSignals(e.stdout, msg, d.Detect(msg), d.Explain(msg))
	}
	return exitOK
}

// printSignals writes what fired in msg. Every text from the message is
// quoted, so that it cannot drive the terminal.
func printSignals(w io.Writer, msg string, sigs []signals.Signal, matches []signals.Match) {
	fmt.Fprintf(w, "%q\n", msg)
	if len(sigs) == 0 {
		fmt.Fprintln(w, "  no signal")
	}
	for _, sig := range sigs {
		fmt.Fprintf(w, "  %s at %d-%d: %q\n", sig.Kind, sig.Start, sig.End, sig.Text)
	}
	for _, m := range matches {
		fmt.Fprintf(w, "    %s %q at %d-%d by %s: %s\n", m.Kind, m.Text, m.Start, m.End, m.Rule, m.Rule.Text)
		if m.SuppressedBy != nil {
			fmt.Fprintf(w, "      dropped by %s: %s\n", m.SuppressedBy, m.SuppressedBy.Text)
		}
	}
}
