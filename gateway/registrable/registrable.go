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
	"iter"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Covering yields the domains whose entry covers host: host itself, then
// each parent domain down to host's registrable domain, never its public
// suffix or above. It yields nothing for a public suffix or an IP address,
// which no domain entry covers. host is lowercase ASCII without a trailing
// dot, as package weburl gives it.
func Covering(host string) iter.Seq[string] {
	return func(yield func(string) bool) {
		suffix, _ := publicsuffix.PublicSuffix(host)
		for d := host; len(d) > len(suffix); {
			if !yield(d) {
				return
			}
			_, d, _ = strings.Cut(d, ".")
		}
	}
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
