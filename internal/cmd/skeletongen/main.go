// Command skeletongen writes the skeleton table of the lookalike package
// (gateway/lookalike/skeleton_table.go) from Unicode's confusables data,
// confusables.txt of UTS #39, kept beside it. go generate runs it:
//
//	go generate ./gateway/lookalike
//
// To move to a newer Unicode version, replace confusables.txt with the one
// published at https://www.unicode.org/reports/tr39/#Data_Files and run
// go generate again; the table records the version, date and SHA-256 of the
// file it came from.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "skeletongen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("skeletongen", flag.ContinueOnError)
	data := fs.String("data", "confusables.txt", "Unicode's `confusables.txt` (UTS #39)")
	out := fs.String("out", "skeleton_table.go", "the Go `file` to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: the flags are -data and -out", fs.Args())
	}
	src, err := tableSource(*data)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, src, 0o644)
}

// tableSource reads the confusables file at path and returns the Go source
// of its skeleton table.
func tableSource(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := parseConfusables(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	table, err := skeletonTable(c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return generate(c, table)
}
