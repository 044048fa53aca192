package main

import (
	"fmt"
	"maps"
	"slices"

	"github.com/blibli/safelink/gateway/scanners"
)

func lintAllowlist(e env) int {
	fs := newFlagSet("allowlist lint", "allowlist lint [DIR]", e.stderr)
	if code := parseOrExit(fs, e); code >= 0 {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(e.stderr, "safelink allowlist lint: give at most one directory")
		return exitUsage
	}
	lists, err := loadAllowlist(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitFail
	}
	scannerList, scannerSource, err := loadScanners(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitFail
	}
	counts := lists.Counts()
	for _, file := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(e.stdout, "%s: %d entries\n", file, counts[file])
	}
	fmt.Fprintf(e.stdout, "%s: %d patterns (%s)\n", scanners.File, scannerList.Len(), scannerSource)
	fmt.Fprintf(e.stdout, "allowlist %s is valid\n", dirSource(fs.Arg(0)))
	return exitOK
}
