package verdict

import (
	"fmt"
	"slices"
	"strings"
)

// Threat is a kind of danger a threat list reports for a URL. The values
// are stable: templates name a block after each, and events and the API
// carry them.
type Threat string

// The threats the block page explains.
const (
	// ThreatMalware is a site that installs or hosts malicious software.
	ThreatMalware Threat = "malware"
	// ThreatSocialEngineering is a site that tricks people into revealing
	// secrets or paying, phishing being the most common kind.
	ThreatSocialEngineering Threat = "social-engineering"
	// ThreatUnwantedSoftware is a site that hosts deceptive software with
	// unwanted effects, such as changing browser settings.
	ThreatUnwantedSoftware Threat = "unwanted-software"
	// ThreatHarmfulApplication is a site that distributes potentially
	// harmful applications for mobile platforms.
	ThreatHarmfulApplication Threat = "harmful-application"
	// ThreatSocialEngineeringExtended is a site on a wider list of social
	// engineering, which catches more phishing with more false positives.
	ThreatSocialEngineeringExtended Threat = "social-engineering-extended"
)

// Threats lists every Threat, in the order a lookup reports matches.
var Threats = []Threat{ThreatMalware, ThreatSocialEngineering, ThreatUnwantedSoftware, ThreatHarmfulApplication, ThreatSocialEngineeringExtended}

// ParseThreat returns the Threat named s, such as "malware".
func ParseThreat(s string) (Threat, error) {
	t, err := parseName("threat type", Threats, s)
	if err != nil {
		return "", fmt.Errorf("threat: %w", err)
	}
	return t, nil
}

// ParseThreats parses a comma-separated list of threats, as given in a flag
// such as "malware,social-engineering". Spaces around items are ignored; an
// empty item, an unknown name or a repeated name is an error naming it.
func ParseThreats(s string) ([]Threat, error) {
	var threats []Threat
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("threat: item %d of threat type list %q is empty", i+1, s)
		}
		t, err := ParseThreat(item)
		if err != nil {
			return nil, err
		}
		if slices.Contains(threats, t) {
			return nil, fmt.Errorf("threat: threat type %q is listed twice in %q", item, s)
		}
		threats = append(threats, t)
	}
	return threats, nil
}

// FormatThreats returns threats as a comma-separated list that ParseThreats
// accepts.
func FormatThreats(threats []Threat) string {
	return joinNames(threats)
}
