package threat

import (
	"slices"
	"strings"
	"testing"
)

func TestParseTypes(t *testing.T) {
	tests := []struct {
		in   string
		want []Type
	}{
		{"malware", []Type{Malware}},
		{"malware,social-engineering", []Type{Malware, SocialEngineering}},
		{" unwanted-software , harmful-application ", []Type{UnwantedSoftware, HarmfulApplication}},
		{"harmful-application,malware", []Type{HarmfulApplication, Malware}},
	}
	for _, tt := range tests {
		got, err := ParseTypes(tt.in)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseTypes(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseTypesNamesTheBadItem(t *testing.T) {
	tests := []struct {
		in, wantErr string
	}{
		{"", `item 1 of threat type list "" is empty`},
		{"malware,,phishing", `item 2 of threat type list "malware,,phishing" is empty`},
		{"malware,", `item 2 of threat type list "malware," is empty`},
		{"malware,phishing", `unknown threat type "phishing" (known: malware,social-engineering,unwanted-software,harmful-application)`},
		{"Malware", `unknown threat type "Malware"`},
		{"malware, malware", `threat type "malware" is listed twice`},
	}
	for _, tt := range tests {
		_, err := ParseTypes(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseTypes(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestFormatTypesRoundTrips(t *testing.T) {
	got, err := ParseTypes(FormatTypes(Types))
	if err != nil || !slices.Equal(got, Types) {
		t.Errorf("ParseTypes(FormatTypes(Types)) = %v, %v; want %v", got, err, Types)
	}
}

// FuzzParseTypes checks that the parser never panics, yields only known
// types without repeats, and that what it accepts round-trips.
func FuzzParseTypes(f *testing.F) {
	f.Add("malware,social-engineering")
	f.Add(" unwanted-software , harmful-application")
	f.Add("malware,,malware")
	f.Fuzz(func(t *testing.T, in string) {
		types, err := ParseTypes(in)
		if err != nil {
			return
		}
		if len(types) == 0 {
			t.Fatalf("ParseTypes(%q) accepted an empty list", in)
		}
		for i, typ := range types {
			if !slices.Contains(Types, typ) {
				t.Errorf("ParseTypes(%q) yields unknown type %q", in, typ)
			}
			if slices.Contains(types[:i], typ) {
				t.Errorf("ParseTypes(%q) yields %q twice", in, typ)
			}
		}
		again, err := ParseTypes(FormatTypes(types))
		if err != nil || !slices.Equal(again, types) {
			t.Errorf("ParseTypes(FormatTypes(%v)) = %v, %v", types, again, err)
		}
	})
}
