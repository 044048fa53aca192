package registrable

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"
)

func TestCovering(t *testing.T) {
	tests := []struct {
		host string
		want []string
	}{
		{"www.blibli.com", []string{"www.blibli.com", "blibli.com"}},
		{"blibli.com", []string{"blibli.com"}},
		{"a.b.toko.co.id", []string{"a.b.toko.co.id", "b.toko.co.id", "toko.co.id"}},
		{"bucket.s3.amazonaws.com", []string{"bucket.s3.amazonaws.com"}},
		{"a.bucket.s3.amazonaws.com", []string{"a.bucket.s3.amazonaws.com", "bucket.s3.amazonaws.com"}},
		{"www.amazonaws.com", []string{"www.amazonaws.com", "amazonaws.com"}},
		{"vm.eu-west-1.compute.amazonaws.com", []string{"vm.eu-west-1.compute.amazonaws.com"}},
		{"site.blob.core.windows.net", []string{"site.blob.core.windows.net"}},
		{"scam.github.io", []string{"scam.github.io"}},
		{"github.io", nil},
		{"s3.amazonaws.com", nil},
		{"com", nil},
		{"192.0.2.7", nil},
		{"2001:db8::1", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := slices.Collect(Covering(tt.host)); !slices.Equal(got, tt.want) {
			t.Errorf("Covering(%q) = %q, want %q", tt.host, got, tt.want)
		}
	}
}

func TestCoveringStopsWhenAsked(t *testing.T) {
	for d := range Covering("a.b.c.blibli.com") {
		if d != "a.b.c.blibli.com" {
			t.Fatalf("went on to %q after the first", d)
		}
		break
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
