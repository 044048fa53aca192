package main

import (
	"fmt"

	"github.com/blibli/safelink/gateway"
)

// sampleHomeURL is the home URL on the sample pages.
const sampleHomeURL = "https://www.blibli.com/"

// checkTemplates parses the templates (the overrides in DIR over the
// embedded ones) and renders every page variant with sample data.
func checkTemplates(e env) int {
	fs := newFlagSet("templates check", "templates check [DIR]", e.stderr)
	if code := parseOrExit(fs, e); code >= 0 {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(e.stderr, "safelink templates check: give at most one directory")
		return exitUsage
	}
	set, err := parseTemplates(fs.Arg(0))
	if err == nil {
		err = gateway.CheckPages(set, sampleHomeURL)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "safelink templates check: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "templates %s: %d pages, %d variants rendered\n", source(fs.Arg(0)), len(set.Names()), len(gateway.Variants(sampleHomeURL)))
	return exitOK
}
