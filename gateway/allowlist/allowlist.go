// Package allowlist holds the security team's domain lists: the official
// Blibli domains, URL shorteners and messaging apps. An entry covers the
// domain and its subdomains, whole labels only, so blibli.com never matches
// blibli.com.evil.example, and only down to each host's registrable domain
// (public suffix list, ICANN and private sections). Loading refuses an
// entry that is, or sits above, a public suffix, so no entry covers other
// owners' domains, such as every site under github.io or every bucket under
// s3.amazonaws.com.
package allowlist

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/blibli/safelink/gateway/linefile"
	"github.com/blibli/safelink/gateway/registrable"
)

// The files of an allowlist directory.
const (
	OfficialFile   = "official.txt"
	ShortenersFile = "shorteners.txt"
	MessagingFile  = "messaging.txt"
)

// Lists is a loaded, validated set of allowlist files. It is immutable and
// safe for concurrent use.
type Lists struct {
	official   map[string]Entry
	shorteners map[string]Entry
	messaging  map[string]Entry
}

// Load reads and validates the three allowlist files from fsys. It returns
// linefile.Errors naming every bad line, or a missing file, and no Lists at all when
// anything is wrong: a half-loaded allowlist is never used.
func Load(fsys fs.FS) (*Lists, error) {
	var errs linefile.Errors
	read := func(file string, options ...string) map[string]Entry {
		f, err := fsys.Open(file)
		if err != nil {
			errs = append(errs, &linefile.Error{File: file, Msg: describeOpenError(err)})
			return nil
		}
		defer f.Close()
		entries, lineErrs := ParseFile(file, f, options...)
		errs = append(errs, lineErrs...)
		m := make(map[string]Entry, len(entries))
		for _, e := range entries {
			m[e.Domain] = e
		}
		return m
	}
	l := &Lists{
		official:   read(OfficialFile, OptionNoUpgrade, OptionPort),
		shorteners: read(ShortenersFile),
		messaging:  read(MessagingFile),
	}
	if l.official != nil && len(l.official) == 0 {
		errs = append(errs, &linefile.Error{File: OfficialFile, Msg: "lists no official domain"})
	}
	errs = append(errs, conflicts(OfficialFile, l.official, ShortenersFile, l.shorteners)...)
	errs = append(errs, conflicts(OfficialFile, l.official, MessagingFile, l.messaging)...)
	if len(errs) > 0 {
		return nil, errs
	}
	return l, nil
}

func describeOpenError(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "missing; every allowlist directory needs it (it may hold only comments)"
	}
	return fmt.Sprintf("cannot open: %v", err)
}

// conflicts reports official entries that the other list also covers: an
// official domain redirects at once, so it cannot also need a warning.
func conflicts(officialFile string, official map[string]Entry, otherFile string, other map[string]Entry) linefile.Errors {
	var errs linefile.Errors
	for _, e := range sortedEntries(other) {
		if o, ok := lookup(official, e.Domain); ok {
			errs = append(errs, &linefile.Error{File: otherFile, Line: e.Line,
				Msg: fmt.Sprintf("%s is official (%s line %d); a domain cannot be both", e.Domain, officialFile, o.Line)})
		}
	}
	return errs
}

func sortedEntries(m map[string]Entry) []Entry {
	entries := make([]Entry, 0, len(m))
	for _, e := range m {
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b Entry) int { return a.Line - b.Line })
	return entries
}

// lookup finds the entry covering host: host itself or a parent domain,
// down to host's registrable domain and never past it, so that an entry
// never covers names that anyone can register under a public suffix. The
// first entry found is the deepest; when it reaches past the registrable
// domain, every entry above it does too. An entry Load accepted covers
// every subdomain (see Entry.owned), so an official click asks nothing of
// the public suffix list.
func lookup(m map[string]Entry, host string) (Entry, bool) {
	for d := host; len(m) > 0; {
		if e, ok := m[d]; ok {
			return e, e.owned || registrable.Covers(d, host)
		}
		i := strings.IndexByte(d, '.')
		if i < 0 {
			break
		}
		d = d[i+1:]
	}
	return Entry{}, false
}

// Official reports whether host is an official domain and, if so, whether
// its http links may be upgraded to https.
func (l *Lists) Official(host string) (official, upgrade bool) {
	e, ok := lookup(l.official, host)
	return ok, ok && !e.NoUpgrade
}

// OfficialPort reports whether host is official on port, a port other
// than 443 in decimal: its entry names the port (OptionPort).
func (l *Lists) OfficialPort(host, port string) bool {
	e, ok := lookup(l.official, host)
	return ok && slices.Contains(e.Ports, port)
}

// Shortener reports whether host is a URL shortener.
func (l *Lists) Shortener(host string) bool {
	_, ok := lookup(l.shorteners, host)
	return ok
}

// Messaging reports whether host is a messaging app.
func (l *Lists) Messaging(host string) bool {
	_, ok := lookup(l.messaging, host)
	return ok
}

// OfficialDomains returns the official entries, sorted.
func (l *Lists) OfficialDomains() []string {
	return sortedKeys(l.official)
}

// Counts returns how many entries each file holds, by file name.
func (l *Lists) Counts() map[string]int {
	return map[string]int{
		OfficialFile:   len(l.official),
		ShortenersFile: len(l.shorteners),
		MessagingFile:  len(l.messaging),
	}
}

func sortedKeys(m map[string]Entry) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
