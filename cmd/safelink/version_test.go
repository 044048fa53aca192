package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestPrintVersion(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	const commit = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"},
			Settings: vcs("vcs", "git", "vcs.revision", commit, "vcs.time", "2026-03-01T10:00:00Z", "vcs.modified", "false")},
			"safelink v1.4.0\ncommit    " + commit + "\ncommitted 2026-03-01T10:00:00Z\nbuilt by  go1.26.8\n"},
		{"modified tree", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: vcs("vcs.revision", commit, "vcs.modified", "true", "vcs.time", "2026-03-01T10:00:00Z")},
			"safelink (devel)\ncommit    " + commit + " (modified: the tree had changes not committed)\ncommitted 2026-03-01T10:00:00Z\nbuilt by  go1.26.8\n"},
		{"no commit time", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.1-0.20260301100000-0123456789ab"},
			Settings: vcs("vcs.revision", commit)},
			"safelink v1.4.1-0.20260301100000-0123456789ab\ncommit    " + commit + "\nbuilt by  go1.26.8\n"},
		{"no version control", &debug.BuildInfo{GoVersion: "go1.26.8", Settings: vcs("-buildmode", "exe")},
			"safelink (devel)\ncommit    unknown (built without version control information)\nbuilt by  go1.26.8\n"},
		{"no build information", nil, "safelink: no build information in this binary\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		printVersion(&b, tt.info)
		if b.String() != tt.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.name, b.String(), tt.want)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, errOut := runCmd(t, nil, "version")
	if code != exitOK || !strings.HasPrefix(out, "safelink ") || !strings.Contains(out, "\ncommit    ") || !strings.Contains(out, "built by  go1.") {
		t.Errorf("version: exit %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCmd(t, nil, "version", "extra"); code != exitUsage || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Errorf("version extra: exit %d %q", code, errOut)
	}
	if code, out, _ := runCmd(t, nil, "help"); code != exitOK || !strings.Contains(out, "safelink version ") {
		t.Errorf("the usage does not list the version command:\n%s", out)
	}
}
