// Package threat checks URLs against threat lists.
//
// SafeBrowsing is a checker backed by the Google Safe Browsing Update API
// (v4): it keeps a local database of 4-byte hash prefixes in sync with the
// server and asks the server for full hashes only when a URL's prefix is on a
// list. A lookup answers within the caller's time budget or fails with an
// error the caller can tell apart with errors.Is: ErrNotReady, ErrStale, or a
// timeout. A caller that gets any error treats the URL as not verified.
package threat

import (
	"fmt"
	"strings"
)

// Type is a class of threat a list holds. Its value is stable: it names the
// template block of the block page and appears in JSON.
type Type string

// The threat types of the Safe Browsing lists.
const (
	// Malware is a site that installs or hosts malicious software.
	Malware Type = "malware"
	// SocialEngineering is a site that tricks people into revealing
	// secrets or paying, phishing being the most common kind.
	SocialEngineering Type = "social-engineering"
	// UnwantedSoftware is a site that hosts deceptive software with
	// unwanted effects, such as changing browser settings.
	UnwantedSoftware Type = "unwanted-software"
	// HarmfulApplication is a site that distributes potentially harmful
	// applications for mobile platforms.
	HarmfulApplication Type = "harmful-application"
)

// Types lists every Type in the order in which Lookup reports matches.
var Types = []Type{Malware, SocialEngineering, UnwantedSoftware, HarmfulApplication}

// DefaultTypes are the lists a checker subscribes to when its Config names
// none: all of them.
var DefaultTypes = Types

// ParseType returns the Type named s, such as "malware".
func ParseType(s string) (Type, error) {
	for _, t := range Types {
		if string(t) == s {
			return t, nil
		}
	}
	return "", fmt.Errorf("threat: unknown threat type %q (known: %s)", s, typeNames())
}

// ParseTypes parses a comma-separated list of threat types, as given in a
// flag such as "malware,social-engineering". Spaces around items are ignored;
// an empty item, an unknown name or a repeated name is an error naming it.
func ParseTypes(s string) ([]Type, error) {
	var types []Type
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("threat: item %d of threat type list %q is empty", i+1, s)
		}
		t, err := ParseType(item)
		if err != nil {
			return nil, err
		}
		for _, seen := range types {
			if seen == t {
				return nil, fmt.Errorf("threat: threat type %q is listed twice in %q", item, s)
			}
		}
		types = append(types, t)
	}
	return types, nil
}

// FormatTypes returns types as a comma-separated list that ParseTypes accepts.
func FormatTypes(types []Type) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	return strings.Join(names, ",")
}

func typeNames() string {
	return FormatTypes(Types)
}
