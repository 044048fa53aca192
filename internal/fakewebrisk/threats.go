package fakewebrisk

import (
	"crypto/sha256"
	"fmt"
	"io"
	"slices"
	"strings"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
	"github.com/blibli/safelink/internal/fakesafebrowsing"
)

// ThreatTypes are the lists the fake serves.
var ThreatTypes = []webriskpb.ThreatType{
	webriskpb.ThreatType_MALWARE,
	webriskpb.ThreatType_SOCIAL_ENGINEERING,
	webriskpb.ThreatType_UNWANTED_SOFTWARE,
	webriskpb.ThreatType_SOCIAL_ENGINEERING_EXTENDED_COVERAGE,
}

// served reports whether the fake serves the list of type t.
func served(t webriskpb.ThreatType) bool {
	return slices.Contains(ThreatTypes, t)
}

// An Entry is one listed URL.
type Entry struct {
	// Type is the list that holds the URL.
	Type webriskpb.ThreatType
	// Expression is the URL in the form a client hashes: host and path,
	// and the query if there is one, such as "evil.example/login".
	Expression string
}

// Hash returns the SHA-256 of the entry's expression: the full hash a
// client matches, whose first four bytes are the listed prefix.
func (e Entry) Hash() [sha256.Size]byte {
	return sha256.Sum256([]byte(e.Expression))
}

// ParseThreatType returns the threat type named s: the name of a
// webriskpb.ThreatType the fake serves, in any case, with "-" or "_"
// between words, such as "social-engineering".
func ParseThreatType(s string) (webriskpb.ThreatType, error) {
	t := webriskpb.ThreatType(webriskpb.ThreatType_value[strings.ToUpper(strings.ReplaceAll(s, "-", "_"))])
	if served(t) {
		return t, nil
	}
	return 0, fmt.Errorf("unknown threat type %q (known: malware, social-engineering, unwanted-software, social-engineering-extended-coverage)", s)
}

// ReadThreatsFile reads a threat file; see ParseThreats for its format.
func ReadThreatsFile(name string) ([]Entry, error) {
	return fakesafebrowsing.ReadFile(name, ParseThreats)
}

// ParseThreats parses a threat file. Each line lists one URL:
//
//	<type> <url>
//
// where type is a threat type that ParseThreatType knows, such as
// "malware", and url a URL as fakesafebrowsing.ParseLines describes.
func ParseThreats(r io.Reader) ([]Entry, error) {
	return fakesafebrowsing.ParseLines(r, func(typ, expression string) (Entry, error) {
		t, err := ParseThreatType(typ)
		return Entry{Type: t, Expression: expression}, err
	})
}
