package verdict

import (
	"slices"
	"strings"
	"testing"
)

func TestParseThreats(t *testing.T) {
	tests := []struct {
		in   string
		want []Threat
	}{
		{"malware", []Threat{ThreatMalware}},
		{"malware,social-engineering", []Threat{ThreatMalware, ThreatSocialEngineering}},
		{" unwanted-software , harmful-application ", []Threat{ThreatUnwantedSoftware, ThreatHarmfulApplication}},
		{"harmful-application,malware", []Threat{ThreatHarmfulApplication, ThreatMalware}},
	}
	for _, tt := range tests {
		got, err := ParseThreats(tt.in)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseThreats(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseThreatsNamesTheBadItem(t *testing.T) {
	tests := []struct {
		in, wantErr string
	}{
		{"", `item 1 of threat type list "" is empty`},
		{"malware,,phishing", `item 2 of threat type list "malware,,phishing" is empty`},
		{"malware,", `item 2 of threat type list "malware," is empty`},
		{"malware,phishing", `unknown threat type "phishing" (known: malware,social-engineering,unwanted-software,harmful-application,social-engineering-extended)`},
		{"Malware", `unknown threat type "Malware"`},
		{"malware, malware", `threat type "malware" is listed twice`},
	}
	for _, tt := range tests {
		_, err := ParseThreats(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseThreats(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestFormatThreatsRoundTrips(t *testing.T) {
	got, err := ParseThreats(FormatThreats(Threats))
	if err != nil || !slices.Equal(got, Threats) {
		t.Errorf("ParseThreats(FormatThreats(Threats)) = %v, %v; want %v", got, err, Threats)
	}
}

// FuzzParseThreats checks that the parser never panics, yields only known
// types without repeats, and that what it accepts round-trips.
func FuzzParseThreats(f *testing.F) {
	f.Add("malware,social-engineering")
	f.Add(" unwanted-software , harmful-application")
	f.Add("malware,,malware")
	f.Fuzz(func(t *testing.T, in string) {
		types, err := ParseThreats(in)
		if err != nil {
			return
		}
		if len(types) == 0 {
			t.Fatalf("ParseThreats(%q) accepted an empty list", in)
		}
		for i, typ := range types {
			if !slices.Contains(Threats, typ) {
				t.Errorf("ParseThreats(%q) yields unknown type %q", in, typ)
			}
			if slices.Contains(types[:i], typ) {
				t.Errorf("ParseThreats(%q) yields %q twice", in, typ)
			}
		}
		again, err := ParseThreats(FormatThreats(types))
		if err != nil || !slices.Equal(again, types) {
			t.Errorf("ParseThreats(FormatThreats(%v)) = %v, %v", types, again, err)
		}
	})
}
