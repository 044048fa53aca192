package weburl

import (
	"strings"
	"testing"
)

func TestParseNormalizes(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://www.blibli.com/p/x?a=b#c", "https://www.blibli.com/p/x?a=b#c"},
		{"  https://blibli.com/  \n", "https://blibli.com/"},
		{"HTTPS://WWW.BLIBLI.COM", "https://www.blibli.com/"},
		{"https://blibli.com.", "https://blibli.com/"},
		{"https://blibli.com:443/a", "https://blibli.com/a"},
		{"http://blibli.com:80/a", "http://blibli.com/a"},
		{"http://blibli.com:443/a", "http://blibli.com:443/a"},
		{"https://blibli.com:8443/a", "https://blibli.com:8443/a"},
		{"https://blibli.com:08443/a", "https://blibli.com:8443/a"},
		{"https://blibli.com?q", "https://blibli.com/?q"},
		{"https://blibli.com#f", "https://blibli.com/#f"},
		{"https://blibli.com/?", "https://blibli.com/?"},
		{"https://blibli.com/#", "https://blibli.com/#"},
		{"https://ｂｌｉｂｌｉ．ｃｏｍ/", "https://blibli.com/"},
		{"https://bücher.example/", "https://xn--bcher-kva.example/"},
		{"https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"},
		{"https://bl%69bli.com/", "https://blibli.com/"},
		{"https://blibli.com/a b", "https://blibli.com/a%20b"},
		{"https://blibli.com/ü?q=ü", "https://blibli.com/%C3%BC?q=%C3%BC"},
		{"https://blibli.com/%zz", "https://blibli.com/%25zz"},
		{"https://blibli.com/%41", "https://blibli.com/%41"},
		{"https://blibli.com/a\\b", "https://blibli.com/a%5Cb"},
		{"https://blibli.com/<script>", "https://blibli.com/%3Cscript%3E"},
		{"https://blibli.com/a\"b", "https://blibli.com/a%22b"},
		{"https://user:pw@blibli.com/", "https://user:pw@blibli.com/"},
		{"https://a@b@blibli.com/", "https://a%40b@blibli.com/"},
		{"http://127.0.0.1/", "http://127.0.0.1/"},
		{"http://0x7f.1/", "http://127.0.0.1/"},
		{"http://2130706433/", "http://127.0.0.1/"},
		{"http://017700000001/", "http://127.0.0.1/"},
		{"http://0177.0.0.1/", "http://127.0.0.1/"},
		{"http://8.8.2056/", "http://8.8.8.8/"},
		{"http://[::1]:8080/", "http://[::1]:8080/"},
		{"http://[2001:DB8::1]/", "http://[2001:db8::1]/"},
		{"http://[::ffff:8.8.8.8]:81/", "http://8.8.8.8:81/"},
	}
	for _, tt := range tests {
		u, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := u.String(); got != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		in   string
		want Problem
	}{
		{"", ProblemEmpty},
		{" \t\n", ProblemEmpty},
		{"https://blibli.com/" + strings.Repeat("a", MaxLength), ProblemTooLong},
		{"https://blibli.com/\x00", ProblemControl},
		{"https://bli\tbli.com/", ProblemControl},
		{"https://blibli.com/\u202etxt.exe", ProblemControl},
		{"https://blibli.com/\u200b", ProblemControl},
		{"https://blibli.com/\xff", ProblemControl},
		{"javascript:alert(1)", ProblemScheme},
		{"JAVASCRIPT:alert(1)", ProblemScheme},
		{"data:text/html,<h1>hi", ProblemScheme},
		{"file:///etc/passwd", ProblemScheme},
		{"intent://scan/#Intent;scheme=zxing;end", ProblemScheme},
		{"ftp://example.com/", ProblemScheme},
		{"blibli.com", ProblemScheme},
		{"//evil.example/", ProblemScheme},
		{"/go?u=x", ProblemScheme},
		{"https:blibli.com", ProblemNoHost},
		{"https:/blibli.com", ProblemNoHost},
		{"https:///blibli.com", ProblemNoHost},
		{"https://", ProblemNoHost},
		{"https://user@/", ProblemNoHost},
		{"https://blibli.com\\@evil.example/", ProblemMalformed},
		{"https://blibli.com:0/", ProblemPort},
		{"https://blibli.com:65536/", ProblemPort},
		{"https://blibli.com:99999999999999999999/", ProblemPort},
		{"https://blibli.com:x/", ProblemPort},
		{"https://bli bli.com/", ProblemHost},
		{"https://blibli..com/", ProblemHost},
		{"https://blibli.com../", ProblemHost},
		{"https://-blibli.com/", ProblemHost},
		{"https://bli_bli.com/", ProblemHost},
		{"https://xn--zz.com/", ProblemHost},
		{"https://" + strings.Repeat("a", 64) + ".com/", ProblemHost},
		{"https://[::1/", ProblemHost},
		{"https://[::1]x/", ProblemHost},
		{"https://[fe80::1%25eth0]/", ProblemHost},
		{"https://[1.2.3.4]/", ProblemHost},
		{"http://1.2.3.256/", ProblemHost},
		{"http://1.2.3.4.5/", ProblemHost},
		{"http://0x100000000/", ProblemHost},
		{"http://09.1.1.1/", ProblemHost},
		{"https://blibli%2Fcom/", ProblemHost},
		{"https://blibli%zzcom/", ProblemHost},
	}
	for _, tt := range tests {
		u, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %q, want problem %s", tt.in, u, tt.want)
			continue
		}
		if got := ProblemOf(err); got != tt.want {
			t.Errorf("Parse(%q): problem %s (%v), want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestInternal(t *testing.T) {
	tests := []struct {
		host     string
		internal bool
	}{
		{"http://127.0.0.1/", true},
		{"http://127.1/", true},
		{"http://0/", true},
		{"http://0.0.0.0/", true},
		{"http://10.1.2.3/", true},
		{"http://172.16.0.1/", true},
		{"http://192.168.1.1/", true},
		{"http://169.254.169.254/", true},
		{"http://100.64.0.1/", true},
		{"http://224.0.0.1/", true},
		{"http://255.255.255.255/", true},
		{"http://192.0.2.1/", true},
		{"http://[::1]/", true},
		{"http://[::]/", true},
		{"http://[fc00::1]/", true},
		{"http://[fe80::1]/", true},
		{"http://[::ffff:127.0.0.1]/", true},
		{"http://[::ffff:10.0.0.1]/", true},
		{"http://[64:ff9b::a00:1]/", true},
		{"http://[2002:7f00:1::]/", true},
		{"http://[::127.0.0.1]/", true},
		{"http://localhost/", true},
		{"http://LOCALHOST./", true},
		{"http://api.localhost/", true},
		{"http://printer.local/", true},
		{"http://db.internal/", true},
		{"http://router.home.arpa/", true},
		{"http://intranet/", true},
		{"http://8.8.8.8/", false},
		{"http://[2001:4860:4860::8888]/", false},
		{"http://[64:ff9b::808:808]/", false},
		{"http://blibli.com/", false},
		{"http://local.example/", false},
	}
	for _, tt := range tests {
		u, err := Parse(tt.host)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.host, err)
		}
		if got := u.Internal(); got != tt.internal {
			t.Errorf("Internal(%q) = %v, want %v", tt.host, got, tt.internal)
		}
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://xn--bcher-kva.example/b%C3%BCcher?q=%C3%BC#%C3%BC", "https://bücher.example/bücher?q=ü#ü"},
		{"https://blibli.com/a%2Fb?x=%26y", "https://blibli.com/a%2Fb?x=%26y"},
		{"https://blibli.com/a%20b", "https://blibli.com/a%20b"},
		{"https://blibli.com/%E2%80%AEgnp.exe", "https://blibli.com/%E2%80%AEgnp.exe"},
		{"https://blibli.com/%FF", "https://blibli.com/%FF"},
		{"https://blibli.com/%41%42", "https://blibli.com/AB"},
		{"http://[::1]:81/", "http://[::1]:81/"},
	}
	for _, tt := range tests {
		u, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if got := u.Display(); got != tt.want {
			t.Errorf("Display(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWithScheme(t *testing.T) {
	u, err := Parse("http://blibli.com:443/a")
	if err != nil {
		t.Fatal(err)
	}
	if got := u.WithScheme("https").String(); got != "https://blibli.com/a" {
		t.Errorf("WithScheme = %q", got)
	}
	if u.String() != "http://blibli.com:443/a" {
		t.Errorf("WithScheme changed the original: %q", u)
	}
}
