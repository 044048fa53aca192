// Package threaturl computes what a threat list is searched for, given a
// URL: its canonical form, its host-suffix / path-prefix expressions and
// their SHA-256 hashes, as the "URLs and Hashing" section of Google's Safe
// Browsing v4 specification defines them (Google Web Risk uses the same).
//
// A lookup runs
//
//	hashes, err := threaturl.Hashes(link)
//
// and searches a hash-prefix list for threaturl.Prefix of each hash.
//
// Canonicalize follows the specification step by step: it removes tab, CR
// and LF, cuts the fragment, percent-unescapes until no escape is left,
// cleans the host (dots, IPv4 in any notation, lower case) and the path
// (dot segments, runs of slashes), and percent-escapes the bytes at or below
// ASCII 32, at or above 127, "#" and "%". Where the specification leaves a
// choice, the package takes the one a browser makes:
//   - the parts of the URL are found before it is unescaped, as a browser
//     finds them: the authority ends at the first "/" or "?", the user
//     information at its last "@" and the host at its first ":", so that an
//     escaped "/" or "@" cannot hide the host a browser goes to; the host,
//     then the path with the query, are unescaped each on their own, and
//     the path ends at the first "?" of the unescaped text;
//   - a URL without a scheme is an http URL, as in the specification's
//     examples; an opaque one such as javascript:… has no host and is an
//     error;
//   - the user information and the port are dropped, since no expression
//     holds them;
//   - a host in Unicode becomes punycode (IDNA lookup rules); one that
//     cannot stays as it is, percent-escaped, and so do "/", "?", "@" and
//     ":" in a host, which no browser accepts, so that the canonical form
//     reads back the same;
//   - a bracketed IPv6 address, read as written, takes its shortest form,
//     and an IPv4 address written as IPv6 (::ffff:a.b.c.d, or
//     64:ff9b::a.b.c.d) becomes that IPv4 address, as the specification's
//     later revision says.
//
// A backslash is an ordinary byte: rawURL is a link as a browser requests
// it, such as one package weburl has normalized.
//
// Every function takes at most MaxLength bytes and works in time linear in
// its input: the repeated unescaping is computed in one pass.
package threaturl
