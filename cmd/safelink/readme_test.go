package main

import (
	"bytes"
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestReadmeListsEveryServeSetting holds the README's configuration table
// to the flags of "safelink serve": each flag is a row with its variable,
// and each row names a flag that exists.
func TestReadmeListsEveryServeSetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]string{}
	for _, m := range regexp.MustCompile("(?m)^\\| `(SAFELINK_[A-Z0-9_]+)` \\| `-([a-z0-9-]+)` \\|").FindAllSubmatch(readme, -1) {
		documented[string(m[2])] = string(m[1])
	}
	var usage bytes.Buffer
	if code := run(env{args: []string{"serve", "-h"}, stdout: &usage, stderr: &usage, getenv: func(string) string { return "" }}); code != exitOK {
		t.Fatalf("serve -h: exit %d", code)
	}
	var flags []string
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+) \[(SAFELINK_[A-Z0-9_]+)\]`).FindAllSubmatch(usage.Bytes(), -1) {
		name, variable := string(m[1]), string(m[2])
		flags = append(flags, name)
		if got, ok := documented[name]; !ok {
			t.Errorf("flag -%s (%s) has no row in the README's configuration table", name, variable)
		} else if got != variable {
			t.Errorf("flag -%s: the README names %s, the flag reads %s", name, got, variable)
		}
	}
	if len(flags) == 0 {
		t.Fatalf("no flags in the usage:\n%s", usage.String())
	}
	for name := range documented {
		if !slices.Contains(flags, name) {
			t.Errorf("the README documents -%s, which serve does not have", name)
		}
	}
}
