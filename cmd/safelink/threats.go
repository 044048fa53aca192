package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/threat"
	"github.com/blibli/safelink/gateway/verdict"
)

// threatFlags are the Safe Browsing settings.
type threatFlags struct {
	apiKey       string
	serverURL    string
	dbPath       string
	updatePeriod time.Duration
	lists        string
	timeout      time.Duration
}

func (t *threatFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.apiKey, "safebrowsing-api-key", "", "Google Safe Browsing API key (set it in the environment, not on the command line); empty turns threat checking off")
	fs.StringVar(&t.serverURL, "safebrowsing-url", "", "Safe Browsing server, for a proxy or a test server; empty is Google's")
	fs.StringVar(&t.dbPath, "safebrowsing-db", "", "file that keeps the threat lists across restarts; empty keeps them in memory only")
	fs.DurationVar(&t.updatePeriod, "safebrowsing-update-period", threat.DefaultUpdatePeriod, "how often the threat lists are refreshed; under 30m")
	fs.StringVar(&t.lists, "safebrowsing-lists", verdict.FormatThreats(threat.DefaultLists), "threat lists to check, comma-separated")
	fs.DurationVar(&t.timeout, "safebrowsing-timeout", 300*time.Millisecond, "time budget of one lookup; past it a link is shown as not verified")
}

// open starts the Safe Browsing checker, or returns nil when no API key is
// set. The lists load in the background.
func (t *threatFlags) open(logger *slog.Logger) (*threat.SafeBrowsing, error) {
	if t.apiKey == "" {
		return nil, nil
	}
	if t.timeout <= 0 {
		return nil, fmt.Errorf("safebrowsing-timeout %v must be positive", t.timeout)
	}
	lists, err := verdict.ParseThreats(t.lists)
	if err != nil {
		return nil, fmt.Errorf("safebrowsing-lists: %w", err)
	}
	return threat.NewSafeBrowsing(threat.Config{
		APIKey:       t.apiKey,
		ServerURL:    t.serverURL,
		DBPath:       t.dbPath,
		UpdatePeriod: t.updatePeriod,
		Lists:        lists,
		Logger:       logger,
	})
}

// threatSources are the open checkers as the click service takes them: a
// nil checker is no source.
func threatSources(sb *threat.SafeBrowsing) []click.ThreatSource {
	var out []click.ThreatSource
	if sb != nil {
		out = append(out, click.ThreatSource{Source: verdict.SourceSafeBrowsing, Lists: sb})
	}
	return out
}

// errListsNotReady says the lists did not load in time for "check".
var errListsNotReady = errors.New("the Safe Browsing lists did not load in time")

// waitReady waits until the lists are ready, for at most d.
func waitReady(sb *threat.SafeBrowsing, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		st := sb.Status()
		if st.State == verdict.ListsReady {
			return nil
		}
		if time.Now().After(deadline) {
			if st.Problem != "" {
				return fmt.Errorf("%w: %s", errListsNotReady, st.Problem)
			}
			return errListsNotReady
		}
		time.Sleep(50 * time.Millisecond)
	}
}
