package allowlist

import (
	"strings"
	"testing"
	"testing/fstest"

	safelink "github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/linefile"
)

func files(official, shorteners, messaging string) fstest.MapFS {
	return fstest.MapFS{
		OfficialFile:   {Data: []byte(official)},
		ShortenersFile: {Data: []byte(shorteners)},
		MessagingFile:  {Data: []byte(messaging)},
	}
}

func TestEmbeddedAllowlistLoads(t *testing.T) {
	l, err := Load(safelink.Allowlist())
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := l.Official("www.blibli.com"); !ok {
		t.Error("www.blibli.com is not official in the embedded allowlist")
	}
}

func TestMatching(t *testing.T) {
	l, err := Load(files("blibli.com\nlegacy.example.co.id no-https-upgrade\n", "bit.ly\n", "wa.me\nwhatsapp.com\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host                          string
		official, upgrade, short, msg bool
	}{
		{host: "blibli.com", official: true, upgrade: true},
		{host: "www.blibli.com", official: true, upgrade: true},
		{host: "a.b.c.blibli.com", official: true, upgrade: true},
		{host: "blibli.com.evil.example"},
		{host: "blibli.github.io"},
		{host: "myblibli.com"},
		{host: "blibli.co"},
		{host: "com"},
		{host: "legacy.example.co.id", official: true},
		{host: "www.legacy.example.co.id", official: true},
		{host: "example.co.id"},
		{host: "bit.ly", short: true},
		{host: "www.bit.ly", short: true},
		{host: "bit.ly.evil.example"},
		{host: "wa.me", msg: true},
		{host: "api.whatsapp.com", msg: true},
		{host: "whatsapp.com.evil.example"},
	}
	for _, tt := range tests {
		official, upgrade := l.Official(tt.host)
		if official != tt.official || upgrade != tt.upgrade {
			t.Errorf("Official(%q) = %v, %v; want %v, %v", tt.host, official, upgrade, tt.official, tt.upgrade)
		}
		if got := l.Shortener(tt.host); got != tt.short {
			t.Errorf("Shortener(%q) = %v", tt.host, got)
		}
		if got := l.Messaging(tt.host); got != tt.msg {
			t.Errorf("Messaging(%q) = %v", tt.host, got)
		}
	}
}

// An entry covers a host only down to the host's registrable domain: lists
// holding a domain above a public suffix (refused by Load, but a newer list
// of suffixes can put one there) cover that owner's names, never the names
// registered under the suffix.
func TestMatchingStopsAtRegistrableDomain(t *testing.T) {
	l := &Lists{
		official:   map[string]Entry{"amazonaws.com": {Domain: "amazonaws.com", Line: 1}},
		shorteners: map[string]Entry{"windows.net": {Domain: "windows.net", Line: 1}},
		messaging:  map[string]Entry{"github.io": {Domain: "github.io", Line: 1}},
	}
	tests := []struct {
		host            string
		official, short bool
	}{
		{host: "amazonaws.com", official: true},
		{host: "www.amazonaws.com", official: true},
		{host: "bucket.s3.amazonaws.com"},
		{host: "a.bucket.s3.amazonaws.com"},
		{host: "vm.eu-west-1.compute.amazonaws.com"},
		{host: "www.windows.net", short: true},
		{host: "site.blob.core.windows.net"},
		{host: "github.io"},
		{host: "scam.github.io"},
	}
	for _, tt := range tests {
		if official, _ := l.Official(tt.host); official != tt.official {
			t.Errorf("Official(%q) = %v", tt.host, official)
		}
		if got := l.Shortener(tt.host); got != tt.short {
			t.Errorf("Shortener(%q) = %v", tt.host, got)
		}
		if l.Messaging(tt.host) {
			t.Errorf("Messaging(%q) = true", tt.host)
		}
	}
}

func TestLoadRefuses(t *testing.T) {
	tests := []struct {
		name            string
		official, short string
		want            string
	}{
		{"public suffix", "blibli.com\ngithub.io\n", "", "official.txt:2: \"github.io\" is a public suffix"},
		{"tld", "com\n", "", "official.txt:1: \"com\" is a public suffix"},
		{"above a public suffix", "blibli.com\namazonaws.com\n", "",
			`official.txt:2: "amazonaws.com" sits above the public suffix "s3.amazonaws.com", under which anyone can register names; write the registrable domain you mean (for example name.s3.amazonaws.com)`},
		{"above a wildcard suffix", "blibli.com\n", "compute.amazonaws.com\n", `shorteners.txt:1: "compute.amazonaws.com" sits above the public suffix "*.compute.amazonaws.com"`},
		{"ipv4", "blibli.com\n10.0.0.1\n", "", "official.txt:2: \"10.0.0.1\" is an IP address"},
		{"ipv6", "blibli.com\n[::1]\n", "", "official.txt:2: \"[::1]\" is an IP address"},
		{"url", "https://blibli.com/\n", "", "official.txt:1: \"https://blibli.com/\" is a URL"},
		{"path", "blibli.com/promo\n", "", "official.txt:1: \"blibli.com/promo\" has a path"},
		{"port", "blibli.com:443\n", "", "official.txt:1: \"blibli.com:443\" has a port"},
		{"wildcard", "*.blibli.com\n", "", "official.txt:1: \"*.blibli.com\" has a wildcard"},
		{"userinfo", "a@blibli.com\n", "", "official.txt:1: \"a@blibli.com\" has a user part"},
		{"malformed", "bli_bli.com\n", "", "official.txt:1: \"bli_bli.com\" is not a valid domain name"},
		{"empty label", "blibli..com\n", "", "official.txt:1: \"blibli..com\" is not a valid domain name"},
		{"unknown tld", "blibli.notatld\n", "", "official.txt:1: \"blibli.notatld\" does not end in a known top-level domain"},
		{"duplicate", "blibli.com\nBLIBLI.com\n", "", "official.txt:2: blibli.com is already listed on line 1"},
		{"unknown option", "blibli.com fast\n", "", "official.txt:1: unknown option \"fast\""},
		{"option elsewhere", "blibli.com\n", "bit.ly no-https-upgrade\n", "shorteners.txt:1: unknown option \"no-https-upgrade\""},
		{"port option elsewhere", "blibli.com\n", "bit.ly port=8443\n", "shorteners.txt:1: unknown option \"port=8443\""},
		{"port default", "blibli.com port=443\n", "", "official.txt:1: port=443 is https's default port"},
		{"port zero", "blibli.com port=0\n", "", "official.txt:1: port=\"0\": write a port from 1 to 65535"},
		{"port large", "blibli.com port=65536\n", "", "official.txt:1: port=\"65536\""},
		{"port padded", "blibli.com port=08443\n", "", "official.txt:1: port=\"08443\""},
		{"port empty", "blibli.com port=\n", "", "official.txt:1: port=\"\""},
		{"port name", "blibli.com port=https\n", "", "official.txt:1: port=\"https\""},
		{"port twice", "blibli.com port=8443 port=8443\n", "", "official.txt:1: port 8443 is named twice"},
		{"no-upgrade value", "blibli.com no-https-upgrade=yes\n", "", "official.txt:1: option no-https-upgrade takes no value"},
		{"no official", "# nothing\n", "", "official.txt: lists no official domain"},
		{"both lists", "blibli.com\n", "\ns.blibli.com\n", "shorteners.txt:2: s.blibli.com is official (official.txt line 1)"},
		{"long line", strings.Repeat("a", 2000) + ".com\n", "", "official.txt:1: cannot read: the line is longer than 1024 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(files(tt.official, tt.short, ""))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load: %v\nwant an error containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadReportsEveryProblemAndMissingFiles(t *testing.T) {
	_, err := Load(fstest.MapFS{OfficialFile: {Data: []byte("github.io\nblibli.com\n10.0.0.1\n")}})
	errs, ok := err.(linefile.Errors)
	if !ok {
		t.Fatalf("Load error %T %v, want linefile.Errors", err, err)
	}
	want := []string{
		"official.txt:1: \"github.io\" is a public suffix, under which anyone can register names; write the registrable domain you mean (for example name.github.io)",
		"official.txt:3: \"10.0.0.1\" is an IP address; only domains can be listed",
		"shorteners.txt: missing; every allowlist directory needs it (it may hold only comments)",
		"messaging.txt: missing; every allowlist directory needs it (it may hold only comments)",
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors:\n%v", len(errs), err)
	}
	for i, w := range want {
		if errs[i].Error() != w {
			t.Errorf("error %d = %q, want %q", i, errs[i].Error(), w)
		}
	}
}

func TestParseFileCommentsAndUnicode(t *testing.T) {
	entries, errs := ParseFile("official.txt", strings.NewReader("# head\n\n  Blibli.COM.  # trailing\nbücher.example.com\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(entries) != 2 || entries[0].Domain != "blibli.com" || entries[0].Line != 3 || entries[1].Domain != "xn--bcher-kva.example.com" {
		t.Fatalf("entries = %+v", entries)
	}
}

func TestOfficialPort(t *testing.T) {
	l, err := Load(files("blibli.com\nseller.blibli.com port=8443 port=9443 no-https-upgrade\n", "bit.ly\n", "wa.me\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		host, port string
		want       bool
	}{
		{"seller.blibli.com", "8443", true},
		{"api.seller.blibli.com", "9443", true},
		{"seller.blibli.com", "8080", false},
		{"www.blibli.com", "8443", false},
		{"blibli.com", "8443", false},
		{"seller.blibli.com.evil.example", "8443", false},
		{"bit.ly", "8443", false},
	} {
		if got := l.OfficialPort(tt.host, tt.port); got != tt.want {
			t.Errorf("OfficialPort(%q, %q) = %v, want %v", tt.host, tt.port, got, tt.want)
		}
	}
}
