package threaturl

import "bytes"

// MaxExpressions is the most expressions a URL has: five host suffixes
// times six path prefixes.
const MaxExpressions = 30

const (
	maxHosts = 5 // the host and four of its suffixes
	maxPaths = 6 // the path with and without the query, four prefixes
)

// expressions are the expressions of a canonical URL c, each c.b[h:e] for
// one start h of a host suffix and one end e of a path prefix: a host
// suffix is followed by the path in c.b, so an expression is one run of it.
type expressions struct {
	hosts  [maxHosts]int // where each host suffix starts, longest first
	ends   [maxPaths]int // where each path prefix ends, in the order looked up
	nh, np int
}

// Expressions returns the host-suffix / path-prefix expressions of
// rawURL's canonical form, in the order of the specification and without
// duplicates: for http://a.b.c/1/2.html?param=1 they are
//
//	a.b.c/1/2.html?param=1  a.b.c/1/2.html  a.b.c/  a.b.c/1/
//	b.c/1/2.html?param=1    b.c/1/2.html    b.c/    b.c/1/
//
// The host suffixes are the host, then up to four formed from its last five
// components, never the top-level domain alone (an IP address only as
// itself); the paths are the path with its query, without, and up to four
// prefixes from "/", one more component at a time. rawURL may be canonical
// already; it fails as Canonicalize does.
func Expressions(rawURL string) ([]string, error) {
	var buf [stackBytes]byte
	c, err := parse(buf[:0], rawURL)
	if err != nil {
		return nil, err
	}
	s := string(c.b)
	x := c.expressions()
	list := make([]string, 0, x.nh*x.np)
	for _, h := range x.hosts[:x.nh] {
		for _, e := range x.ends[:x.np] {
			list = append(list, s[h:e])
		}
	}
	return list, nil
}

func (c *canonicalURL) expressions() expressions {
	var x expressions
	x.hosts[0], x.nh = c.host, 1
	if !c.ip {
		// Back from the end, the first dot starts the top-level domain
		// alone, which is never looked up; the next four start the other
		// suffixes of the last five components, taken longest first.
		var dots [maxHosts - 1]int
		n := 0
		for i := c.path - 1; i > c.host && n < len(dots)+1; i-- {
			if c.b[i] == '.' {
				if n > 0 {
					dots[n-1] = i + 1
				}
				n++
			}
		}
		for n--; n > 0; n-- {
			x.hosts[x.nh] = dots[n-1]
			x.nh++
		}
	}
	if c.query < len(c.b) {
		x.ends[0], x.np = len(c.b), 1
	}
	x.ends[x.np] = c.query
	x.np++
	path := c.b[c.path:c.query]
	for i, prefixes := 0, 0; prefixes < maxPaths-2; prefixes++ {
		j := bytes.IndexByte(path[i:], '/')
		if j < 0 {
			break
		}
		i += j + 1
		if end := c.path + i; end != c.query {
			x.ends[x.np] = end
			x.np++
		}
	}
	return x
}
