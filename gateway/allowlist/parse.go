package allowlist

import (
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"

	"github.com/blibli/safelink/gateway/linefile"
	"github.com/blibli/safelink/gateway/registrable"
)

// Options of official.txt entries.
const (
	// OptionNoUpgrade marks an official host whose http links must not be
	// upgraded to https; such links get the insecure warning instead.
	OptionNoUpgrade = "no-https-upgrade"
	// OptionPort, written port=N, names a port other than 443 on which
	// the entry's https links are official too; a link to any other port
	// gets the port warning. It may be given more than once.
	OptionPort = "port"
)

// Entry is one domain line of an allowlist file.
type Entry struct {
	Domain    string   // lowercase ASCII domain; covers its subdomains too
	Line      int      // line number in the file, from 1
	NoUpgrade bool     // OptionNoUpgrade was given
	Ports     []string // the ports of OptionPort, in decimal as weburl writes them

	// owned says that NormalizeDomain accepted Domain: it ends in a known
	// top-level domain, is no public suffix and has none below it, so it
	// covers every host under it (registrable.Covers holds) and lookup
	// need not ask the public suffix list.
	owned bool
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
	entry := Entry{Domain: domain, owned: true}
	for _, opt := range fields[1:] {
		name, value, hasValue := strings.Cut(opt, "=")
		if !slices.Contains(options, name) {
			return Entry{}, fmt.Errorf("unknown option %q after %s", opt, domain)
		}
		switch name {
		case OptionNoUpgrade:
			if hasValue {
				return Entry{}, fmt.Errorf("option %s takes no value", name)
			}
			entry.NoUpgrade = true
		case OptionPort:
			port, err := parsePort(value)
			if err != nil {
				return Entry{}, err
			}
			if slices.Contains(entry.Ports, port) {
				return Entry{}, fmt.Errorf("port %s is named twice", port)
			}
			entry.Ports = append(entry.Ports, port)
		}
	}
	return entry, nil
}

// parsePort reads the value of OptionPort: a port from 1 to 65535 other
// than 443, which every entry covers already, written in plain decimal.
func parsePort(value string) (string, error) {
	n, err := strconv.Atoi(value)
	switch {
	case err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != value:
		return "", fmt.Errorf("%s=%q: write a port from 1 to 65535, such as %s=8443", OptionPort, value, OptionPort)
	case n == 443:
		return "", fmt.Errorf("%s=443 is https's default port, which the entry covers already", OptionPort)
	}
	return value, nil
}

// NormalizeDomain checks that s is a domain the allowlist can hold and
// returns its lowercase ASCII form. It refuses URLs, paths, ports,
// wildcards, IP addresses, unknown top-level domains, and domains that are,
// or sit above, a public suffix (see package registrable).
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
		return "", fmt.Errorf("%q has a port; write the domain only (in official.txt, %s=N after it names a port other than 443)", s, OptionPort)
	}
	d, err := domainProfile.ToASCII(strings.TrimSuffix(s, "."))
	if err != nil || !utf8.ValidString(s) || !isStableASCII(d) {
		return "", fmt.Errorf("%q is not a valid domain name", s)
	}
	tld := d[strings.LastIndexByte(d, '.')+1:]
	if _, icann := publicsuffix.PublicSuffix(tld); !icann {
		return "", fmt.Errorf("%q does not end in a known top-level domain", s)
	}
	if err := registrable.Check(d); err != nil {
		return "", err
	}
	return d, nil
}

// isStableASCII reports whether d is already in the form ToASCII gives, so
// that an entry and the hosts it is compared with agree byte for byte.
func isStableASCII(d string) bool {
	again, err := domainProfile.ToASCII(d)
	return err == nil && again == d
}
