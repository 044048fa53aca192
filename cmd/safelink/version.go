package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// versionCommand prints the version of the module and the commit the
// binary was built from.
func versionCommand(e env) int {
	fs := newFlagSet("version", "version", e.stderr)
	if code := parseOrExit(fs, e); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "safelink version: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	info, _ := debug.ReadBuildInfo()
	printVersion(e.stdout, info)
	return exitOK
}

// printVersion prints what info says of a build: the module version, the
// commit, whether the tree had changes not committed, the commit time, and
// the Go version. info is nil for a binary built without module support.
func printVersion(w io.Writer, info *debug.BuildInfo) {
	if info == nil {
		fmt.Fprintln(w, "safelink: no build information in this binary")
		return
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	vcs := map[string]string{}
	for _, s := range info.Settings {
		vcs[s.Key] = s.Value
	}
	fmt.Fprintf(w, "safelink %s\n", version)
	switch commit := vcs["vcs.revision"]; {
	case commit == "":
		fmt.Fprintln(w, "commit    unknown (built without version control information)")
	case vcs["vcs.modified"] == "true":
		fmt.Fprintf(w, "commit    %s (modified: the tree had changes not committed)\n", commit)
	default:
		fmt.Fprintf(w, "commit    %s\n", commit)
	}
	if t := vcs["vcs.time"]; t != "" {
		fmt.Fprintf(w, "committed %s\n", t)
	}
	fmt.Fprintf(w, "built by  %s\n", info.GoVersion)
}
