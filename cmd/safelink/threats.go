package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/threat"
	"github.com/blibli/safelink/gateway/verdict"
)

// threatFlags are the settings of the threat sources: Safe Browsing, Web
// Risk, and the time budget they share.
type threatFlags struct {
	sb      safeBrowsingFlags
	wr      webRiskFlags
	timeout time.Duration
}

// safeBrowsingFlags are the Safe Browsing settings.
type safeBrowsingFlags struct {
	apiKey       string
	serverURL    string
	dbPath       string
	updatePeriod time.Duration
	lists        string
}

// webRiskFlags are the Web Risk settings.
type webRiskFlags struct {
	apiKey         string
	adc            bool
	endpoint       string
	allowPlaintext bool
	dbPath         string
	updatePeriod   time.Duration
	lists          string
	extended       string
}

func (t *threatFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.sb.apiKey, "safebrowsing-api-key", "", "Google Safe Browsing API key (set it in the environment, not on the command line); empty turns Safe Browsing off. Non-commercial use only: a commercial deployment uses Web Risk")
	fs.StringVar(&t.sb.serverURL, "safebrowsing-url", "", "Safe Browsing server, for a proxy or a test server; empty is Google's")
	fs.StringVar(&t.sb.dbPath, "safebrowsing-db", "", "file that keeps the Safe Browsing lists across restarts; empty keeps them in memory only")
	fs.DurationVar(&t.sb.updatePeriod, "safebrowsing-update-period", threat.DefaultUpdatePeriod, "how often the Safe Browsing lists are refreshed; under 30m")
	fs.StringVar(&t.sb.lists, "safebrowsing-lists", verdict.FormatThreats(threat.DefaultLists), "Safe Browsing lists to check, comma-separated")
	fs.DurationVar(&t.timeout, "safebrowsing-timeout", click.DefaultThreatTimeout, "time budget of the threat lookups of one click, every source together; past it a link is shown as not verified")
	fs.StringVar(&t.wr.apiKey, "webrisk-api-key", "", "Google Web Risk API key (set it in the environment); turns Web Risk on")
	fs.BoolVar(&t.wr.adc, "webrisk-adc", false, "turn Web Risk on with Application Default Credentials (a service account, GOOGLE_APPLICATION_CREDENTIALS) instead of an API key")
	fs.StringVar(&t.wr.endpoint, "webrisk-endpoint", threat.DefaultWebRiskEndpoint, "Web Risk service: HOST:PORT over TLS, or http://HOST:PORT for plaintext gRPC to this machine (a test server, a local proxy)")
	fs.BoolVar(&t.wr.allowPlaintext, "webrisk-allow-plaintext", false, "allow a plaintext -webrisk-endpoint on another host; the key and the prefixes asked about cross the network in the clear")
	fs.StringVar(&t.wr.dbPath, "webrisk-db", "", "file that keeps the Web Risk lists across restarts, so a restarted replica is ready at once; empty keeps them in memory only")
	fs.DurationVar(&t.wr.updatePeriod, "webrisk-update-period", threat.DefaultWebRiskPeriod, "longest time between two updates of a Web Risk list (the server's recommendation is followed when sooner); under 30m")
	fs.StringVar(&t.wr.lists, "webrisk-lists", verdict.FormatThreats(threat.DefaultWebRiskLists), "Web Risk lists to check, comma-separated; add social-engineering-extended for the extended coverage of phishing")
	fs.StringVar(&t.wr.extended, "webrisk-extended", "warn", "what a match on social-engineering-extended alone gets: warn (the warning page with the suspected reason) or block")
}

// threatSet is the open threat sources.
type threatSet struct {
	sb        *threat.SafeBrowsing // nil when off
	wr        *threat.WebRisk      // nil when off
	suspected []verdict.Threat
}

// open starts the configured sources; their lists load in the background.
func (t *threatFlags) open(logger *slog.Logger) (*threatSet, error) {
	if t.timeout <= 0 {
		return nil, fmt.Errorf("safebrowsing-timeout %v must be positive", t.timeout)
	}
	set := &threatSet{}
	switch t.wr.extended {
	case "warn":
		set.suspected = []verdict.Threat{verdict.ThreatSocialEngineeringExtended}
	case "block":
	default:
		return nil, fmt.Errorf("webrisk-extended: %q is neither warn nor block", t.wr.extended)
	}
	var err error
	if set.sb, err = t.sb.open(logger); err != nil {
		return nil, err
	}
	if set.wr, err = t.wr.open(logger); err != nil {
		set.close()
		return nil, err
	}
	return set, nil
}

// open starts the Safe Browsing checker, or returns nil when no API key is
// set.
func (s *safeBrowsingFlags) open(logger *slog.Logger) (*threat.SafeBrowsing, error) {
	if s.apiKey == "" {
		return nil, nil
	}
	lists, err := verdict.ParseThreats(s.lists)
	if err != nil {
		return nil, fmt.Errorf("safebrowsing-lists: %w", err)
	}
	return threat.NewSafeBrowsing(threat.Config{
		APIKey: s.apiKey, ServerURL: s.serverURL, DBPath: s.dbPath,
		UpdatePeriod: s.updatePeriod, Lists: lists, Logger: logger,
	})
}

// open starts the Web Risk checker, or returns nil when neither a key nor
// Application Default Credentials are set.
func (w *webRiskFlags) open(logger *slog.Logger) (*threat.WebRisk, error) {
	switch {
	case w.apiKey != "" && w.adc:
		return nil, errors.New("webrisk-api-key and webrisk-adc: give one way to authenticate, not both")
	case w.apiKey == "" && !w.adc:
		return nil, nil
	}
	lists, err := verdict.ParseThreats(w.lists)
	if err != nil {
		return nil, fmt.Errorf("webrisk-lists: %w", err)
	}
	return threat.NewWebRisk(threat.WebRiskConfig{
		APIKey: w.apiKey, Endpoint: w.endpoint, AllowPlaintext: w.allowPlaintext,
		DBPath: w.dbPath, UpdatePeriod: w.updatePeriod, Lists: lists, Logger: logger,
	})
}

// sources are the open checkers as the click service takes them.
func (s *threatSet) sources() []click.ThreatSource {
	var out []click.ThreatSource
	if s.sb != nil {
		out = append(out, click.ThreatSource{Source: verdict.SourceSafeBrowsing, Lists: s.sb})
	}
	if s.wr != nil {
		out = append(out, click.ThreatSource{Source: verdict.SourceWebRisk, Lists: s.wr})
	}
	return out
}

// listStats are the sources whose lists have figures for /metrics.
func (s *threatSet) listStats() map[verdict.Source]gateway.ThreatListStats {
	out := map[verdict.Source]gateway.ThreatListStats{}
	if s.wr != nil {
		out[verdict.SourceWebRisk] = s.wr
	}
	return out
}

// close stops every open checker.
func (s *threatSet) close() {
	if s.sb != nil {
		s.sb.Close()
	}
	if s.wr != nil {
		s.wr.Close()
	}
}

// announce says at start-up which sources check links, loudly when none.
func (s *threatSet) announce(logger *slog.Logger, t *threatFlags) {
	if s.sb == nil && s.wr == nil {
		logger.Warn("threat lists are OFF: no Web Risk key (SAFELINK_WEBRISK_API_KEY or SAFELINK_WEBRISK_ADC) and no Safe Browsing key (SAFELINK_SAFEBROWSING_API_KEY); no link is checked against threat lists")
		return
	}
	if s.wr != nil {
		logger.Info("Web Risk is on; the lists load in the background", "lists", t.wr.lists, "db", t.wr.dbPath, "endpoint", t.wr.endpoint, "extended", t.wr.extended)
	}
	if s.sb != nil {
		logger.Info("Safe Browsing is on; the lists load in the background", "lists", t.sb.lists, "db", t.sb.dbPath)
		if s.wr == nil {
			logger.Warn("Safe Browsing is for non-commercial use only: a commercial deployment uses Web Risk (SAFELINK_WEBRISK_API_KEY)")
		}
	}
}

// errListsNotReady says the lists did not load in time for "check".
var errListsNotReady = errors.New("the threat lists did not load in time")

// waitReady waits until every source's lists are ready, for at most d, and
// describes each: "off" when there is none.
func (s *threatSet) waitReady(d time.Duration) (string, error) {
	deadline := time.Now().Add(d)
	for {
		var states []string
		var notReady []string
		for _, src := range s.sources() {
			st := src.Lists.Status()
			state := string(st.State)
			if st.State != verdict.ListsReady {
				if st.Problem != "" {
					state += ": " + st.Problem
				}
				notReady = append(notReady, fmt.Sprintf("%s %s", src.Source, state))
			}
			states = append(states, fmt.Sprintf("%s %s", src.Source, state))
		}
		switch {
		case len(states) == 0:
			return "off", nil
		case len(notReady) == 0:
			return strings.Join(states, "; "), nil
		case time.Now().After(deadline):
			return strings.Join(states, "; "), fmt.Errorf("%w: %s", errListsNotReady, strings.Join(notReady, "; "))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
