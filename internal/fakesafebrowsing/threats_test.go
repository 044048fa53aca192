package fakesafebrowsing

import (
	"strings"
	"testing"

	"github.com/blibli/safelink/gateway/threat"
	"github.com/blibli/safelink/gateway/verdict"
)

func TestExpression(t *testing.T) {
	tests := []struct {
		url, want string
	}{
		{"http://evil.example", "evil.example/"},
		{"https://evil.example/", "evil.example/"},
		{"HTTPS://Evil.Example:8443/Login", "evil.example/Login"},
		{"https://evil.example/a/./b/../c/", "evil.example/a/c/"},
		{"https://evil.example//a//b", "evil.example/a/b"},
		{"https://evil.example/login?next=/home#top", "evil.example/login?next=/home"},
		{"https://evil.example?x=1", "evil.example/?x=1"},
		{"http://203.0.113.7/payload.exe", "203.0.113.7/payload.exe"},
		{"https://evil.blibli.com/", "evil.blibli.com/"},
	}
	for _, tt := range tests {
		got, err := Expression(tt.url)
		if err != nil || got != tt.want {
			t.Errorf("Expression(%q) = %q, %v; want %q", tt.url, got, err, tt.want)
		}
	}
}

func TestExpressionRejects(t *testing.T) {
	tests := []struct {
		url, wantErr string
	}{
		{"evil.example/", "does not start with http:// or https://"},
		{"ftp://evil.example/", "does not start with http:// or https://"},
		{"https:///path", "host is missing"},
		{"https://user@evil.example/", `'@'`},
		{"https://evil.example/%2e%2e/", `'%'`},
		{"https://évil.example/", "canonicalization"},
		{"https://evil.example:http/", `port "http" is not a number`},
		{"https://evil..example/", `invalid label ""`},
		{"https://evil.example./", `invalid label ""`},
		{"https://-evil.example/", `invalid label "-evil"`},
		{"http://0x7f000001/", "not a dotted-decimal IPv4 address"},
		{"http://010.0.0.1/", "not a dotted-decimal IPv4 address"},
		{"http://1.2.3/", "not a dotted-decimal IPv4 address"},
	}
	for _, tt := range tests {
		got, err := Expression(tt.url)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Expression(%q) = %q, %v; want error containing %q", tt.url, got, err, tt.wantErr)
		}
	}
}

func TestParseThreats(t *testing.T) {
	input := `# listed for the test

malware http://malware.example/
  social-engineering   https://evil.blibli.com/login  
`
	got, err := ParseThreats(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Type: verdict.ThreatMalware, Expression: "malware.example/"},
		{Type: verdict.ThreatSocialEngineering, Expression: "evil.blibli.com/login"},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("ParseThreats = %v, want %v", got, want)
	}
}

func TestParseThreatsNamesTheBadLine(t *testing.T) {
	tests := []struct {
		input, wantErr string
	}{
		{"malware http://a.example/\nmalware\n", `line 2: want "<type> <url>", got "malware"`},
		{"malware http://a.example/ extra", `line 1: want "<type> <url>"`},
		{"# c\nvirus http://a.example/", `line 2: threat: unknown threat type "virus"`},
		{"malware a.example", `line 1: URL "a.example" does not start with http://`},
	}
	for _, tt := range tests {
		_, err := ParseThreats(strings.NewReader(tt.input))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseThreats(%q) error = %v, want one containing %q", tt.input, err, tt.wantErr)
		}
	}
}

func TestSampleThreatFileListsEveryType(t *testing.T) {
	entries, err := ReadThreatsFile("testdata/threats.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range threat.DefaultLists {
		n := 0
		for _, e := range entries {
			if e.Type == typ {
				n++
			}
		}
		if n < 2 {
			t.Errorf("sample threat file lists %d URLs of type %s, want at least 2", n, typ)
		}
	}
}

func TestReadThreatsFileNamesTheFile(t *testing.T) {
	_, err := ReadThreatsFile("testdata/missing.txt")
	if err == nil || !strings.Contains(err.Error(), "testdata/missing.txt") {
		t.Errorf("ReadThreatsFile error = %v, want one naming the file", err)
	}
}

// FuzzParseThreats checks that the parser never panics and that every
// expression it yields is already canonical: listed again as a URL, it
// stays the same.
func FuzzParseThreats(f *testing.F) {
	f.Add("malware http://malware.example/\n# comment\n")
	f.Add("social-engineering HTTPS://Evil.Blibli.com:443/a/../login?x=1#f")
	f.Add("harmful-application http://203.0.113.7//x/./y/")
	f.Add("unwanted-software https://a.example?q")
	f.Fuzz(func(t *testing.T, input string) {
		entries, err := ParseThreats(strings.NewReader(input))
		if err != nil {
			return
		}
		for _, e := range entries {
			again, err := Expression("http://" + e.Expression)
			if err != nil || again != e.Expression {
				t.Errorf("expression %q of %q is not canonical: again %q, %v", e.Expression, input, again, err)
			}
		}
	})
}
