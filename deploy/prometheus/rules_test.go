// Package prometheus holds the Prometheus alert rules of the gateway and
// their unit tests; its test runs them through promtool, as CI does.
package prometheus

import (
	"os/exec"
	"testing"
)

// promtool runs promtool with args, failing the test with how to install
// it when it is missing.
func promtool(t *testing.T, args ...string) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatal("promtool is missing; install it with: apt-get install -y prometheus")
	}
	out, err := exec.Command(path, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool %v: %v\n%s", args, err, out)
	}
}

// The rules are valid and each alert fires on the series that should fire
// it, and only on those (alerts_test.yml).
func TestAlertRules(t *testing.T) {
	promtool(t, "check", "rules", "alerts.yml")
	promtool(t, "test", "rules", "alerts_test.yml")
}
