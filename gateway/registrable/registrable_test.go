package registrable

import (
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"
)

func TestCovers(t *testing.T) {
	tests := []struct {
		domain, host string
		want         bool
	}{
		{"blibli.com", "blibli.com", true},
		{"blibli.com", "www.blibli.com", true},
		{"blibli.com", "a.b.c.blibli.com", true},
		{"www.blibli.com", "blibli.com", false},
		{"blibli.com", "myblibli.com", false},
		{"blibli.com", "blibli.com.evil.example", false},
		{"toko.co.id", "a.b.toko.co.id", true},
		{"co.id", "toko.co.id", false},
		{"amazonaws.com", "amazonaws.com", true},
		{"amazonaws.com", "www.amazonaws.com", true},
		{"amazonaws.com", "bucket.s3.amazonaws.com", false},
		{"amazonaws.com", "s3.amazonaws.com", false},
		{"s3.amazonaws.com", "bucket.s3.amazonaws.com", false},
		{"bucket.s3.amazonaws.com", "a.bucket.s3.amazonaws.com", true},
		{"compute.amazonaws.com", "vm.eu-west-1.compute.amazonaws.com", false},
		{"vm.eu-west-1.compute.amazonaws.com", "vm.eu-west-1.compute.amazonaws.com", true},
		{"kawasaki.jp", "city.kawasaki.jp", false}, // an exception to *.kawasaki.jp: its own registrable domain
		{"city.kawasaki.jp", "www.city.kawasaki.jp", true},
		{"windows.net", "site.blob.core.windows.net", false},
		{"github.io", "github.io", false},
		{"github.io", "scam.github.io", false},
		{"com", "com", false},
		{"2.7", "192.0.2.7", false},
		{"blibli.com", "www.blibli.com.", false},
		{"blibli.com", "www..blibli.com", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := Covers(tt.domain, tt.host); got != tt.want {
			t.Errorf("Covers(%q, %q) = %v, want %v", tt.domain, tt.host, got, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		domain, want string // want is "" when the domain is accepted
	}{
		{"blibli.com", ""},
		{"www.amazonaws.com", ""},
		{"bucket.s3.amazonaws.com", ""},
		{"toko.co.id", ""},
		{"city.kawasaki.jp", ""}, // an exception to *.kawasaki.jp
		{"amazonaws.com", `"amazonaws.com" sits above the public suffix "s3.amazonaws.com", under which anyone can register names; write the registrable domain you mean (for example name.s3.amazonaws.com)`},
		{"compute.amazonaws.com", `"compute.amazonaws.com" sits above the public suffix "*.compute.amazonaws.com", under which anyone can register names; write the registrable domain you mean (for example name.x.compute.amazonaws.com)`},
		{"windows.net", `"windows.net" sits above the public suffix "servicebus.windows.net"`},
		{"core.windows.net", `"core.windows.net" sits above the public suffix "web.core.windows.net"`},
		{"kawasaki.jp", `"kawasaki.jp" sits above the public suffix "*.kawasaki.jp"`},
		{"github.io", `"github.io" is a public suffix, under which anyone can register names; write the registrable domain you mean (for example name.github.io)`},
		{"s3.amazonaws.com", `"s3.amazonaws.com" is a public suffix`},
		{"eu-west-1.compute.amazonaws.com", `"eu-west-1.compute.amazonaws.com" is a public suffix`},
		{"herokuapp.com", `"herokuapp.com" is a public suffix`},
		{"co.id", `"co.id" is a public suffix`},
		{"com", `"com" is a public suffix`},
	}
	for _, tt := range tests {
		err := Check(tt.domain)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Check(%q) = %v, want nil", tt.domain, err)
		case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
			t.Errorf("Check(%q) = %v, want %s…", tt.domain, err, tt.want)
		}
	}
}

// Every domain of the table has, through x/net/publicsuffix, the suffix it
// names below it, is no suffix itself, and its advice names a registrable
// domain: the table and x/net cannot drift apart silently.
func TestTableAgreesWithXNet(t *testing.T) {
	if len(suffixBelow) == 0 {
		t.Fatal("the table is empty")
	}
	for domain, rule := range suffixBelow {
		name := strings.Replace(rule, "*", "x", 1)
		if !strings.HasSuffix(name, "."+domain) {
			t.Errorf("%s: %s is not below it", domain, rule)
		}
		if suffix, _ := publicsuffix.PublicSuffix(name); suffix != name {
			t.Errorf("%s: %s is no public suffix through x/net (its suffix is %s)", domain, name, suffix)
		}
		if suffix, _ := publicsuffix.PublicSuffix(domain); suffix == domain {
			t.Errorf("%s is a public suffix itself", domain)
		}
		if site, err := publicsuffix.EffectiveTLDPlusOne(example(rule)); site != example(rule) {
			t.Errorf("%s: the advice %s is not a registrable domain (%q, %v)", domain, example(rule), site, err)
		}
	}
}
