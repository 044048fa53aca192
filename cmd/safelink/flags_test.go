package main

import (
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	type parsed struct {
		json   bool
		by     string
		reason string
		n      int
		args   []string
	}
	tests := []struct {
		name    string
		args    []string
		environ map[string]string
		want    parsed
		err     string // in the error; "help" for flag.ErrHelp
	}{
		{"nothing", nil, nil, parsed{n: 1}, ""},
		{"flags first", []string{"-json", "-by", "x", "a"}, nil, parsed{json: true, by: "x", n: 1, args: []string{"a"}}, ""},
		{"flags last", []string{"a", "-json"}, nil, parsed{json: true, n: 1, args: []string{"a"}}, ""},
		{"flags between", []string{"a", "-by", "x", "b", "-reason=r", "c"}, nil, parsed{by: "x", reason: "r", n: 1, args: []string{"a", "b", "c"}}, ""},
		{"two dashes", []string{"a", "--by", "x", "--json"}, nil, parsed{json: true, by: "x", n: 1, args: []string{"a"}}, ""},
		{"a boolean takes no next argument", []string{"-json", "a", "-json=false"}, nil, parsed{n: 1, args: []string{"a"}}, ""},
		{"a value that looks like a flag", []string{"-by", "-json", "a"}, nil, parsed{by: "-json", n: 1, args: []string{"a"}}, ""},
		{"-- ends the flags", []string{"-json", "--", "-by", "x"}, nil, parsed{json: true, n: 1, args: []string{"-by", "x"}}, ""},
		{"-- after an argument", []string{"a", "--", "-json", "--"}, nil, parsed{n: 1, args: []string{"a", "-json", "--"}}, ""},
		{"-- as a value", []string{"-reason", "--", "a", "-json"}, nil, parsed{json: true, reason: "--", n: 1, args: []string{"a"}}, ""},
		{"-- as a value after =", []string{"a", "-reason=--", "-json"}, nil, parsed{json: true, reason: "--", n: 1, args: []string{"a"}}, ""},
		{"one dash is an argument", []string{"-", "-json"}, nil, parsed{json: true, n: 1, args: []string{"-"}}, ""},
		{"empty argument", []string{"", "-n", "3"}, nil, parsed{n: 3, args: []string{""}}, ""},
		{"environment", []string{"a"}, map[string]string{"SAFELINK_BY": "env", "SAFELINK_JSON": "true"}, parsed{json: true, by: "env", n: 1, args: []string{"a"}}, ""},
		{"a flag after an argument wins over the environment", []string{"a", "-by", "flag"}, map[string]string{"SAFELINK_BY": "env"}, parsed{by: "flag", n: 1, args: []string{"a"}}, ""},
		{"a positional -by is not the flag", []string{"--", "-by", "x"}, map[string]string{"SAFELINK_BY": "env"}, parsed{by: "env", n: 1, args: []string{"-by", "x"}}, ""},
		{"bad environment value", nil, map[string]string{"SAFELINK_N": "many"}, parsed{}, `SAFELINK_N="many"`},
		{"missing value at the end", []string{"a", "-by"}, nil, parsed{}, "flag needs an argument: -by"},
		{"bad value after an argument", []string{"a", "-n", "x"}, nil, parsed{}, `invalid value "x" for flag -n`},
		{"unknown flag after an argument", []string{"a", "-colour", "red"}, nil, parsed{}, "flag provided but not defined: -colour"},
		{"three dashes", []string{"a", "---json"}, nil, parsed{}, "bad flag syntax: ---json"},
		{"help after an argument", []string{"a", "-h"}, nil, parsed{}, "help"},
		{"help before", []string{"-help", "a"}, nil, parsed{}, "help"},
		{"help after --", []string{"--", "-h"}, nil, parsed{n: 1, args: []string{"-h"}}, ""},
	}
	for _, tt := range tests {
		var got parsed
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.BoolVar(&got.json, "json", false, "")
		fs.StringVar(&got.by, "by", "", "")
		fs.StringVar(&got.reason, "reason", "", "")
		fs.IntVar(&got.n, "n", 1, "")
		err := parseFlags(fs, tt.args, func(k string) string { return tt.environ[k] })
		got.args = fs.Args()
		switch {
		case tt.err == "help":
			if !errors.Is(err, flag.ErrHelp) {
				t.Errorf("%s: %v, want flag.ErrHelp", tt.name, err)
			}
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: %v, want an error with %q", tt.name, err, tt.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case got.json != tt.want.json || got.by != tt.want.by || got.reason != tt.want.reason || got.n != tt.want.n ||
			!slices.Equal(got.args, tt.want.args) && len(got.args)+len(tt.want.args) > 0:
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// A command reads its flags after its arguments.
func TestCheckTakesFlagsAfterURLs(t *testing.T) {
	code, out, errOut := runCmd(t, nil, "check", "https://bit.ly/x", "-json")
	if code != exitOK || !strings.HasPrefix(out, `{"input":"https://bit.ly/x","action":"warn"`) {
		t.Errorf("check URL -json: exit %d %q %q", code, out, errOut)
	}
}
