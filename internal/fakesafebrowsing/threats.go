package fakesafebrowsing

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"regexp"
	"strings"

	"github.com/blibli/safelink/gateway/verdict"
)

// An Entry is one listed URL.
type Entry struct {
	// Type is the list that holds the URL.
	Type verdict.Threat
	// Expression is the URL in the form a client hashes: host and path,
	// and the query if there is one, such as "evil.example/login".
	Expression string
}

// Hash returns the SHA-256 of the entry's expression: the full hash a
// client matches, whose first four bytes are the listed prefix.
func (e Entry) Hash() [sha256.Size]byte {
	return sha256.Sum256([]byte(e.Expression))
}

// ReadThreatsFile reads a threat file; see ParseThreats for its format.
func ReadThreatsFile(name string) ([]Entry, error) {
	return ReadFile(name, ParseThreats)
}

// ReadFile parses the file name with parse, and names the file in the
// error it returns.
func ReadFile[T any](name string, parse func(io.Reader) ([]T, error)) ([]T, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return entries, nil
}

// ParseThreats parses a threat file. Each line lists one URL:
//
//	<type> <url>
//
// where type is a verdict.Threat name such as "malware"; see ParseLines for
// the rest.
func ParseThreats(r io.Reader) ([]Entry, error) {
	return ParseLines(r, func(typ, expression string) (Entry, error) {
		t, err := verdict.ParseThreat(typ)
		return Entry{Type: t, Expression: expression}, err
	})
}

// ParseLines reads the lines of a threat file, "<type> <url>", and returns
// the entries that entry makes of each line's type, as written, and the
// URL's expression (see Expression). The URL is an http or https URL of
// plain ASCII, without user info or percent-escapes. Blank lines and lines
// starting with "#" are ignored. An error names its line.
//
// An entry with the path "/" lists the host and all its subdomains; an entry
// with a longer path lists that path, and everything below it if the path
// ends in "/".
func ParseLines[E any](r io.Reader, entry func(typ, expression string) (E, error)) ([]E, error) {
	var entries []E
	scanner := bufio.NewScanner(r)
	for n := 1; scanner.Scan(); n++ {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, fmt.Errorf("line %d: want \"<type> <url>\", got %q", n, line)
		}
		expr, err := Expression(fields[1])
		var e E
		if err == nil {
			e, err = entry(fields[0], expr)
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		entries = append(entries, e)
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	return entries, nil
}

// numericHost matches the hosts that clients read as an IP address in
// decimal, octal or hexadecimal parts.
var numericHost = regexp.MustCompile(`^(?i)(0x[0-9a-f]+|[0-9.])+$`)

// hostLabel matches one label of a host name.
var hostLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// Expression returns the expression a Safe Browsing client looks up for
// rawURL itself: the lower-case host without port, followed by the cleaned
// path and the query. The fragment is dropped. Only the URLs whose expression
// needs no further canonicalization are accepted: plain ASCII, no user
// info, no percent-escapes, and a host that is a name or a dotted-decimal
// IPv4 address.
func Expression(rawURL string) (string, error) {
	rest, _, _ := strings.Cut(rawURL, "#")
	scheme, rest, ok := strings.Cut(rest, "://")
	scheme = strings.ToLower(scheme)
	if !ok || (scheme != "http" && scheme != "https") {
		return "", fmt.Errorf("URL %q does not start with http:// or https://", rawURL)
	}
	for _, c := range []byte(rest) {
		if c <= ' ' || c >= 0x7f || c == '%' || c == '@' || c == '\\' {
			return "", fmt.Errorf("URL %q has %q, which needs canonicalization the fake does not do", rawURL, c)
		}
	}
	rest, query, hasQuery := strings.Cut(rest, "?")
	host, p, _ := strings.Cut(rest, "/")
	host, err := canonicalHost(host)
	if err != nil {
		return "", fmt.Errorf("URL %q: %w", rawURL, err)
	}
	expr := host + cleanPath("/"+p)
	if hasQuery {
		expr += "?" + query
	}
	return expr, nil
}

// canonicalHost returns host in lower case, without port.
func canonicalHost(host string) (string, error) {
	if h, port, ok := strings.Cut(host, ":"); ok {
		if port == "" || strings.Trim(port, "0123456789") != "" {
			return "", fmt.Errorf("port %q is not a number", port)
		}
		host = h
	}
	host = strings.ToLower(host)
	if host == "" {
		return "", errors.New("host is missing")
	}
	if numericHost.MatchString(host) {
		if ip := net.ParseIP(host); ip == nil || ip.To4() == nil || ip.String() != host {
			return "", fmt.Errorf("host %q is a number but not a dotted-decimal IPv4 address", host)
		}
		return host, nil
	}
	for _, label := range strings.Split(host, ".") {
		if !hostLabel.MatchString(label) {
			return "", fmt.Errorf("host %q has an invalid label %q", host, label)
		}
	}
	return host, nil
}

// cleanPath cleans p as clients do: dot segments and repeated slashes
// removed, a trailing slash kept.
func cleanPath(p string) string {
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean
}
