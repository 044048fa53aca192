// Package registrable keeps the security team's domains within one owner's
// names. A public suffix (com, co.id, github.io, s3.amazonaws.com) is a
// domain under which anyone can register names; a host's registrable
// domain is its public suffix and one label more. An allowlist entry or a
// domain rule covers a host only down to that registrable domain, never
// across a public suffix, and a domain that is, or sits above, a public
// suffix cannot be listed at all.
//
// The public suffixes come from golang.org/x/net/publicsuffix, the whole
// list, its ICANN and private sections alike. That package answers for one
// host but cannot list the suffixes below a domain, which is what refusing
// amazonaws.com (above s3.amazonaws.com) needs; table.go holds them. It is
// generated, with go generate, from the copy of the list that
// x/net/publicsuffix was built from, kept in testdata with its revision,
// and the tests hold the three together: every rule of that copy answers
// the same through x/net/publicsuffix, the revisions agree, and the table
// is what the copy gives. A newer golang.org/x/net fails them until the
// copy and the table follow it.
package registrable

//go:generate go test -run ^TestTable$ -update

import (
	"fmt"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Covers reports whether an entry for domain covers host: host is domain
// or a subdomain of it, and domain is host's registrable domain or below
// it, never host's public suffix or above. An entry for amazonaws.com
// covers www.amazonaws.com but not bucket.s3.amazonaws.com, whose
// registrable domain is the bucket's own. A public suffix and an IP
// address are covered by no entry. Callers look host and each parent of
// it up in their entries and ask Covers of what they find, so that a host
// no entry names, most of them, costs no lookup in the public suffix list.
func Covers(domain, host string) bool {
	site, err := publicsuffix.EffectiveTLDPlusOne(host)
	return err == nil && within(host, domain) && within(domain, site)
}

// within reports whether name is parent or a subdomain of it.
func within(name, parent string) bool {
	return name == parent ||
		len(name) > len(parent) && name[len(name)-len(parent)-1] == '.' && strings.HasSuffix(name, parent)
}

// Check refuses a domain that reaches past one owner's names: a public
// suffix, or a domain with a public suffix below it, such as amazonaws.com
// above s3.amazonaws.com. The error names the suffix and a registrable
// domain under it. domain is lowercase ASCII without a trailing dot.
func Check(domain string) error {
	if suffix, _ := publicsuffix.PublicSuffix(domain); suffix == domain {
		return fmt.Errorf("%q is a public suffix, under which anyone can register names; write the registrable domain you mean (for example %s)",
			domain, example(domain))
	}
	if suffix, ok := suffixBelow[domain]; ok {
		return fmt.Errorf("%q sits above the public suffix %q, under which anyone can register names; write the registrable domain you mean (for example %s)",
			domain, suffix, example(suffix))
	}
	return nil
}

// example returns a registrable domain directly under a public suffix
// rule, a wildcard label written as x.
func example(suffix string) string {
	return "name." + strings.Replace(suffix, "*", "x", 1)
}
