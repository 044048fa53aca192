package safelink_test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path"
	"regexp"
	"strings"
	"testing"
)

const module = "github.com/blibli/safelink"

// layoutRows reads the README's layout table: for each row, the packages
// its first cell names, relative to the module ("" for the root, a name
// ending in "/" for every package under it).
func layoutRows(t *testing.T) [][]string {
	t.Helper()
	f, err := os.Open("README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	code := regexp.MustCompile("`([^`]+)`")
	var rows [][]string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Layout ("):
			in = true
		case in && rows != nil && !strings.HasPrefix(line, "|"):
			return rows
		case in && strings.HasPrefix(line, "| `"):
			first := strings.SplitN(line, "|", 3)[1]
			var row []string
			for _, m := range code.FindAllStringSubmatch(first, -1) {
				name := m[1]
				switch {
				case strings.HasSuffix(name, ".go"):
					name = path.Dir(name)
					if name == "." {
						name = ""
					}
				case strings.HasSuffix(name, "/…"):
					name = strings.TrimSuffix(name, "…")
				}
				row = append(row, name)
			}
			rows = append(rows, row)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatal("README.md has no layout table")
	return nil
}

// rowOf returns the row of the table that names pkg, or -1.
func rowOf(rows [][]string, pkg string) int {
	for i, row := range rows {
		for _, name := range row {
			if name == pkg || (strings.HasSuffix(name, "/") && strings.HasPrefix(pkg, name)) {
				return i
			}
		}
	}
	return -1
}

// TestLayoutTable holds the code to the README's layout table: every
// package of the module has a row, and imports the module's packages only
// in rows below its own; no domain package (gateway/…) imports echo.
func TestLayoutTable(t *testing.T) {
	rows := layoutRows(t)
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkg := relative(p.ImportPath)
		row := rowOf(rows, pkg)
		if row < 0 {
			t.Errorf("package %q has no row in the README's layout table", pkg)
			continue
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(pkg, "gateway/") && strings.HasPrefix(imp, "github.com/labstack/echo") {
				t.Errorf("domain package %q imports %q: HTTP belongs to package gateway", pkg, imp)
			}
			if imp != module && !strings.HasPrefix(imp, module+"/") {
				continue
			}
			dep := relative(imp)
			if r := rowOf(rows, dep); r >= 0 && r <= row && !(r == row && sameRowAllowed(rows[row], pkg, dep)) {
				t.Errorf("%q imports %q, which the layout table puts at or above it", pkg, dep)
			}
		}
	}
}

// relative is an import path relative to the module, "" for its root.
func relative(importPath string) string {
	return strings.TrimPrefix(strings.TrimPrefix(importPath, module), "/")
}

// sameRowAllowed lets the packages under one prefix row, such as
// internal/…, import each other.
func sameRowAllowed(row []string, pkg, dep string) bool {
	for _, name := range row {
		if strings.HasSuffix(name, "/") && strings.HasPrefix(pkg, name) && strings.HasPrefix(dep, name) {
			return true
		}
	}
	return false
}
