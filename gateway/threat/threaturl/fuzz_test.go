package threaturl

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// FuzzCanonicalize checks, for any input, that nothing panics, that an
// input is refused by every function or by none, that the canonical form is
// printable ASCII with well-formed escapes and canonical already, and that
// the expressions and hashes agree with it.
//
//	go test -run '^$' -fuzz FuzzCanonicalize ./gateway/threat/threaturl
func FuzzCanonicalize(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw string) {
		canonical, err := Canonicalize(raw)
		list, xerr := Expressions(raw)
		hashes, herr := Hashes(raw)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrTooLong) && !errors.Is(err, ErrNoHost) {
				t.Errorf("Canonicalize(%q): %v, not one of the package's errors", raw, err)
			}
			if xerr == nil || herr == nil {
				t.Errorf("Canonicalize(%q): %v, but Expressions: %v, Hashes: %v", raw, err, xerr, herr)
			}
			return
		}
		if xerr != nil || herr != nil {
			t.Fatalf("Canonicalize(%q) = %q, but Expressions: %v, Hashes: %v", raw, canonical, xerr, herr)
		}
		checkCanonical(t, raw, canonical)
		if again, err := Canonicalize(canonical); err != nil || again != canonical {
			t.Errorf("Canonicalize(%q) = %q, but Canonicalize(%q) = %q, %v", raw, canonical, canonical, again, err)
		}
		_, rest, _ := strings.Cut(canonical, "://")
		host, pathQuery, _ := strings.Cut(rest, "/")
		checkExpressions(t, raw, host, "/"+pathQuery, list)
		if again, err := Expressions(canonical); err != nil || !slices.Equal(again, list) {
			t.Errorf("Expressions(%q) = %q, but Expressions(%q) = %q, %v", raw, list, canonical, again, err)
		}
		if len(hashes) != len(list) {
			t.Fatalf("Hashes(%q): %d hashes for %d expressions", raw, len(hashes), len(list))
		}
		for i, e := range list {
			if hashes[i] != Hash(e) {
				t.Errorf("Hashes(%q)[%d] is not Hash(%q)", raw, i, e)
			}
		}
	})
}

// checkCanonical checks the form of a canonical URL: a scheme, "://", a
// host, a path; no byte the canonical form escapes, every "%" the start of
// an escape, and a host that reads back the same.
func checkCanonical(t *testing.T, raw, canonical string) {
	t.Helper()
	scheme, rest, ok := strings.Cut(canonical, "://")
	host, _, hasPath := strings.Cut(rest, "/")
	if !ok || scheme == "" || host == "" || !hasPath {
		t.Errorf("Canonicalize(%q) = %q: not scheme://host/path", raw, canonical)
	}
	if !strings.HasPrefix(host, "[") && strings.ContainsAny(host, "?@:") {
		t.Errorf("Canonicalize(%q) = %q: the host holds a delimiter", raw, canonical)
	}
	for i := 0; i < len(canonical); i++ {
		c := canonical[i]
		if c != '%' && escapes[c] || c == '%' && (i+2 >= len(canonical) || !isHex(canonical[i+1]) || !isHex(canonical[i+2])) {
			t.Errorf("Canonicalize(%q) = %q: byte %d is %q", raw, canonical, i, c)
		}
	}
}

// FuzzEquivalent checks that spellings of one URL that differ only where
// canonicalization does not look (upper-case host, escaped unreserved
// characters, "." and ".." segments, doubled slashes, a fragment, tab, CR
// and LF, spaces around, user information and a port) have one canonical
// form and the same expressions. at picks where a change is made.
//
//	go test -run '^$' -fuzz FuzzEquivalent ./gateway/threat/threaturl
func FuzzEquivalent(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw string, at uint16) {
		canonical, err := Canonicalize(raw)
		if err != nil {
			return
		}
		want, err := Expressions(canonical)
		if err != nil {
			t.Fatalf("Expressions(%q): %v", canonical, err)
		}
		for _, v := range spellings(canonical, int(at)) {
			if len(v) > MaxLength {
				continue // a longer spelling is refused, rightly
			}
			if got, err := Canonicalize(v); err != nil || got != canonical {
				t.Errorf("Canonicalize(%q) = %q, %v; want %q as for %q", v, got, err, canonical, raw)
			}
			if got, err := Expressions(v); err != nil || !slices.Equal(got, want) {
				t.Errorf("Expressions(%q) = %q, %v; want %q", v, got, err, want)
			}
		}
	})
}

// spellings returns other spellings of a canonical URL; at picks the slash
// or the byte where a change is made.
func spellings(canonical string, at int) []string {
	scheme, rest, _ := strings.Cut(canonical, "://")
	host, pathQuery, _ := strings.Cut(rest, "/")
	path, query, hasQuery := strings.Cut("/"+pathQuery, "?")
	if hasQuery {
		query = "?" + query
	}
	// The slash of the path where a segment is added or doubled.
	slash := nthSlash(path, at)
	join := func(p string) string { return scheme + "://" + host + p + query }
	pos := at % (len(canonical) + 1)
	// A browser reads an IPv6 address as written: escapes in it are errors.
	escaped := escapeUnreserved(host, at) + escapeUnreserved(path+query, at)
	if strings.HasPrefix(host, "[") {
		escaped = host + escapeUnreserved(path+query, at)
	}
	return []string{
		strings.ToUpper(scheme) + "://" + strings.ToUpper(host) + path + query,
		scheme + "://" + escaped,
		join(path[:slash+1] + "./" + path[slash+1:]),
		join(path[:slash+1] + "seg/../" + path[slash+1:]),
		join(path[:slash+1] + "/" + path[slash+1:]),
		canonical + "#frag/../x?y#z",
		canonical[:pos] + "\t\r\n"[at%3:at%3+1] + canonical[pos:],
		" \t" + canonical + "\n ",
		scheme + "://user:pa%40ss@" + host + ":8080" + path + query,
	}
}

// nthSlash is the index of a slash of path, which has at least one, picked
// by n.
func nthSlash(path string, n int) int {
	slashes := strings.Count(path, "/")
	i := -1
	for range n%slashes + 1 {
		i += 1 + strings.IndexByte(path[i+1:], '/')
	}
	return i
}

// escapeUnreserved percent-escapes letters, digits and "-._~" in s, every
// one or, with an odd n, every other one, in lower-case hexadecimal for an
// n above 255.
func escapeUnreserved(s string, n int) string {
	hex := upperhex
	if n > 255 {
		hex = "0123456789abcdef"
	}
	var b strings.Builder
	k := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		unreserved := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0
		if unreserved && (n%2 == 0 || k%2 == 0) {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else {
			b.WriteByte(c)
		}
		if unreserved {
			k++
		}
	}
	return b.String()
}
