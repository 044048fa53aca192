package browsertest

import "testing"

func TestHostRulesMapPortsFirstAndNothingElse(t *testing.T) {
	got := hostRules(map[string]string{
		"toko.example:443": "127.0.0.1:2",
		"www.blibli.com":   "127.0.0.1:2",
		"toko.example:80":  "127.0.0.1:1",
		"103.28.12.7:443":  "127.0.0.1:2",
	})
	want := "MAP 103.28.12.7:443 127.0.0.1:2, MAP toko.example:443 127.0.0.1:2, MAP toko.example:80 127.0.0.1:1, " +
		"MAP www.blibli.com 127.0.0.1:2, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
	if got != want {
		t.Errorf("hostRules:\n got %s\nwant %s", got, want)
	}
}
