package allowlist

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"

	"github.com/blibli/safelink/gateway/linefile"
)

// OptionNoUpgrade marks an official host whose http links must not be
// upgraded to https; such links get the insecure warning instead.
const OptionNoUpgrade = "no-https-upgrade"

// Entry is one domain line of an allowlist file.
type Entry struct {
	Domain    string // lowercase ASCII domain; covers its subdomains too
	Line      int    // line number in the file, from 1
	NoUpgrade bool   // OptionNoUpgrade was given
}

// domainProfile maps a domain to the ASCII form browsers look up.
var domainProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.BidiRule(), idna.VerifyDNSLength(true))

// maxLineLength bounds one line of an allowlist file.
const maxLineLength = 1024

// ParseFile reads one allowlist file: a domain a line, an optional option
// after it when options lists it, "#" starts a comment, blank lines are
// ignored. It returns every entry and every problem, naming file and line.
func ParseFile(file string, r io.Reader, options ...string) ([]Entry, linefile.Errors) {
	var entries []Entry
	seen := map[string]int{}
	errs := linefile.Scan(file, r, maxLineLength, func(line int, text string) error {
		entry, err := parseEntry(strings.Fields(text), options)
		if err != nil {
			return err
		}
		if first, dup := seen[entry.Domain]; dup {
			return fmt.Errorf("%s is already listed on line %d", entry.Domain, first)
		}
		seen[entry.Domain] = line
		entry.Line = line
		entries = append(entries, entry)
		return nil
	})
	return entries, errs
}

func parseEntry(fields []string, options []string) (Entry, error) {
	domain, err := NormalizeDomain(fields[0])
	if err != nil {
		return Entry{}, err
	}
	entry := Entry{Domain: domain}
	for _, opt := range fields[1:] {
		known := false
		for _, o := range options {
			known = known || opt == o
		}
		if !known {
			return Entry{}, fmt.Errorf("unknown option %q after %s", opt, domain)
		}
		entry.NoUpgrade = entry.NoUpgrade || opt == OptionNoUpgrade
	}
	return entry, nil
}

// NormalizeDomain checks that s is a domain the allowlist can hold and
// returns its lowercase ASCII form. It refuses URLs, paths, ports,
// wildcards, IP addresses, unknown top-level domains and public suffixes.
func NormalizeDomain(s string) (string, error) {
	switch {
	case strings.Contains(s, "://"):
		return "", fmt.Errorf("%q is a URL; write the domain only", s)
	case strings.ContainsAny(s, "/?#"):
		return "", fmt.Errorf("%q has a path; write the domain only", s)
	case strings.Contains(s, "*"):
		return "", fmt.Errorf("%q has a wildcard; an entry already covers its subdomains", s)
	case strings.Contains(s, "@"):
		return "", fmt.Errorf("%q has a user part; write the domain only", s)
	}
	if _, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return "", fmt.Errorf("%q is an IP address; only domains can be listed", s)
	}
	if strings.Contains(s, ":") {
		return "", fmt.Errorf("%q has a port; write the domain only", s)
	}
	d, err := domainProfile.ToASCII(strings.TrimSuffix(s, "."))
	if err != nil || !utf8.ValidString(s) || !isStableASCII(d) {
		return "", fmt.Errorf("%q is not a valid domain name", s)
	}
	tld := d[strings.LastIndexByte(d, '.')+1:]
	if _, icann := publicsuffix.PublicSuffix(tld); !icann {
		return "", fmt.Errorf("%q does not end in a known top-level domain", s)
	}
	if suffix, _ := publicsuffix.PublicSuffix(d); suffix == d {
		return "", fmt.Errorf("%q is a public suffix; list a registrable domain under it", s)
	}
	return d, nil
}

// isStableASCII reports whether d is already in the form ToASCII gives, so
// that an entry and the hosts it is compared with agree byte for byte.
func isStableASCII(d string) bool {
	again, err := domainProfile.ToASCII(d)
	return err == nil && again == d
}
