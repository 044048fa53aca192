package fakewebrisk

import (
	"strings"
	"testing"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
)

func TestParseThreatType(t *testing.T) {
	tests := []struct {
		in   string
		want webriskpb.ThreatType
	}{
		{"malware", webriskpb.ThreatType_MALWARE},
		{"social-engineering", webriskpb.ThreatType_SOCIAL_ENGINEERING},
		{"UNWANTED_SOFTWARE", webriskpb.ThreatType_UNWANTED_SOFTWARE},
		{"social-engineering-extended-coverage", webriskpb.ThreatType_SOCIAL_ENGINEERING_EXTENDED_COVERAGE},
	}
	for _, tt := range tests {
		if got, err := ParseThreatType(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseThreatType(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "threat-type-unspecified", "harmful-application", "1"} {
		if _, err := ParseThreatType(bad); err == nil || !strings.Contains(err.Error(), "unknown threat type") {
			t.Errorf("ParseThreatType(%q) error = %v, want unknown threat type", bad, err)
		}
	}
}

func TestParseThreats(t *testing.T) {
	got, err := ParseThreats(strings.NewReader("# c\nmalware http://Malware.example/a/../\nsocial-engineering-extended-coverage https://x.example/login\n"))
	want := []Entry{
		{Type: webriskpb.ThreatType_MALWARE, Expression: "malware.example/"},
		{Type: webriskpb.ThreatType_SOCIAL_ENGINEERING_EXTENDED_COVERAGE, Expression: "x.example/login"},
	}
	if err != nil || len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("ParseThreats = %v, %v; want %v", got, err, want)
	}
	if _, err := ParseThreats(strings.NewReader("malware http://a.example/\nvirus http://b.example/")); err == nil || !strings.Contains(err.Error(), `line 2: unknown threat type "virus"`) {
		t.Errorf("ParseThreats of an unknown type: error %v, want one naming line 2", err)
	}
}

func TestSampleThreatFileListsEveryType(t *testing.T) {
	entries, err := ReadThreatsFile("testdata/threats.txt")
	if err != nil {
		t.Fatal(err)
	}
	count := make(map[webriskpb.ThreatType]int)
	for _, e := range entries {
		count[e.Type]++
	}
	for _, typ := range ThreatTypes {
		if count[typ] < 2 {
			t.Errorf("sample threat file lists %d URLs of type %v, want at least 2", count[typ], typ)
		}
	}
}
