package main

import (
	"strings"
	"testing"
)

func TestRunRejectsBadFlags(t *testing.T) {
	const threats = "../../fakewebrisk/testdata/threats.txt"
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"-threats", threats, "-random-type", "harmful-application"}, `-random-type: unknown threat type "harmful-application"`},
		{[]string{"-threats", threats, "-next-diff", "soon"}, `invalid value "soon" for flag -next-diff`},
		{[]string{"-threats", "testdata/missing.txt"}, "testdata/missing.txt"},
		{[]string{"-threats", threats, "-random", "-1"}, "-1 random prefixes"},
		{[]string{"-threats", threats, "-addr", "127.0.0.1:http-alt-x"}, "listen tcp"},
	}
	for _, tt := range tests {
		err := run(tt.args)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.wantErr)
		}
	}
}
