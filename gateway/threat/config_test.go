package threat

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
)

func TestConfigDefaults(t *testing.T) {
	cfg, err := Config{APIKey: "k"}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.UpdatePeriod != DefaultUpdatePeriod || cfg.MaxAge != MaxListAge || !slices.Equal(cfg.Lists, DefaultLists) || cfg.Logger == nil {
		t.Errorf("defaults = period %v, max age %v, lists %v, logger %v", cfg.UpdatePeriod, cfg.MaxAge, cfg.Lists, cfg.Logger)
	}
}

func TestConfigRejects(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"no key", Config{}, "needs an API key"},
		{"host and port only", Config{APIKey: "k", ServerURL: "127.0.0.1:8090"}, `server URL: parse "127.0.0.1:8090"`},
		{"no scheme", Config{APIKey: "k", ServerURL: "sb.example"}, `server URL "sb.example" is not an absolute http or https URL`},
		{"ftp server", Config{APIKey: "k", ServerURL: "ftp://sb.example"}, "not an absolute http or https URL"},
		{"bad server", Config{APIKey: "k", ServerURL: "http://[::1"}, "server URL"},
		{"long max age", Config{APIKey: "k", MaxAge: time.Hour}, "maximum list age 1h0m0s is outside (0, 30m0s]"},
		{"negative max age", Config{APIKey: "k", MaxAge: -time.Second}, "maximum list age -1s"},
		{"period too long", Config{APIKey: "k", UpdatePeriod: 30 * time.Minute}, "update period 30m0s must be positive and shorter than the maximum list age 30m0s"},
		{"period over max age", Config{APIKey: "k", UpdatePeriod: 2 * time.Second, MaxAge: time.Second}, "update period 2s"},
		{"negative period", Config{APIKey: "k", UpdatePeriod: -time.Second}, "update period -1s"},
		{"negative timeout", Config{APIKey: "k", RequestTimeout: -time.Second}, "request timeout -1s is negative"},
		{"unknown list", Config{APIKey: "k", Lists: []verdict.Threat{"phishing"}}, `unknown threat type "phishing"`},
		{"repeated list", Config{APIKey: "k", Lists: []verdict.Threat{verdict.ThreatMalware, verdict.ThreatMalware}}, `"malware" is listed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSafeBrowsing(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NewSafeBrowsing error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestLibraryConfigListsEveryType(t *testing.T) {
	cfg, err := Config{APIKey: "k", Lists: DefaultLists}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	lib := cfg.libraryConfig(&libraryLog{logger: cfg.Logger})
	seen := make(map[uint16]bool)
	for _, d := range lib.ThreatLists {
		platform := "ANY_PLATFORM"
		if d.ThreatType.String() == "POTENTIALLY_HARMFUL_APPLICATION" {
			platform = "ANDROID"
		}
		if d.PlatformType.String() != platform || d.ThreatEntryType.String() != "URL" {
			t.Errorf("list %v is not for URLs on %s", d, platform)
		}
		seen[uint16(d.ThreatType)] = true
	}
	if len(seen) != len(DefaultLists) {
		t.Errorf("library lists %v cover %d threat types, want %d", lib.ThreatLists, len(seen), len(DefaultLists))
	}
}
