package threaturl

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestExpressions(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		// The specification's examples.
		{"http://a.b.c/1/2.html?param=1", []string{
			"a.b.c/1/2.html?param=1", "a.b.c/1/2.html", "a.b.c/", "a.b.c/1/",
			"b.c/1/2.html?param=1", "b.c/1/2.html", "b.c/", "b.c/1/",
		}},
		{"http://a.b.c.d.e.f.g/1.html", []string{
			"a.b.c.d.e.f.g/1.html", "a.b.c.d.e.f.g/",
			"c.d.e.f.g/1.html", "c.d.e.f.g/",
			"d.e.f.g/1.html", "d.e.f.g/",
			"e.f.g/1.html", "e.f.g/",
			"f.g/1.html", "f.g/",
		}},
		{"http://1.2.3.4/1/", []string{"1.2.3.4/1/", "1.2.3.4/"}},
		{"http://a.b/saw-a-b", []string{"a.b/saw-a-b", "a.b/"}},
		// The corners.
		{"http://a.b/", []string{"a.b/"}},
		{"http://localhost/x", []string{"localhost/x", "localhost/"}},
		{"http://a.b/q?", []string{"a.b/q?", "a.b/q", "a.b/"}},
		{"http://a.b/1/?x", []string{"a.b/1/?x", "a.b/1/", "a.b/"}},
		{"http://a.b/?x/y/", []string{"a.b/?x/y/", "a.b/"}},
		{"http://a.b.c.d.e.f/", []string{"a.b.c.d.e.f/", "b.c.d.e.f/", "c.d.e.f/", "d.e.f/", "e.f/"}},
		{"http://a.b.c.d.e/", []string{"a.b.c.d.e/", "b.c.d.e/", "c.d.e/", "d.e/"}},
		{"http://[2001:db8::1]/x", []string{"[2001:db8::1]/x", "[2001:db8::1]/"}},
		{"http://3279880203/x", []string{"195.127.0.11/x", "195.127.0.11/"}},
		{"https://user@WWW.Example.COM:8443/a/./b/../c#top", []string{
			"www.example.com/a/c", "www.example.com/", "www.example.com/a/",
			"example.com/a/c", "example.com/", "example.com/a/",
		}},
		{"http://h%23.b/x%23y?%23", []string{"h%23.b/x%23y?%23", "h%23.b/x%23y", "h%23.b/"}},
		{"http://a.b.c/1/2/3/4/5/6.html?x", []string{
			"a.b.c/1/2/3/4/5/6.html?x", "a.b.c/1/2/3/4/5/6.html", "a.b.c/", "a.b.c/1/", "a.b.c/1/2/", "a.b.c/1/2/3/",
			"b.c/1/2/3/4/5/6.html?x", "b.c/1/2/3/4/5/6.html", "b.c/", "b.c/1/", "b.c/1/2/", "b.c/1/2/3/",
		}},
	} {
		got, err := Expressions(tc.in)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("Expressions(%q) = %q, %v\nwant %q", tc.in, got, err, tc.want)
		}
	}
}

func TestExpressionsMost(t *testing.T) {
	got, err := Expressions("http://a.b.c.d.e.f.g/1/2/3/4/5.html?q")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != MaxExpressions {
		t.Errorf("%d expressions, want %d: %q", len(got), MaxExpressions, got)
	}
	checkExpressions(t, "http://a.b.c.d.e.f.g/1/2/3/4/5.html?q", "a.b.c.d.e.f.g", "/1/2/3/4/5.html?q", got)
}

func TestExpressionsErrors(t *testing.T) {
	for _, in := range []string{"", "javascript:alert(1)", strings.Repeat("a", MaxLength+1)} {
		if got, err := Expressions(in); err == nil {
			t.Errorf("Expressions(%.40q) = %q, want an error", in, got)
		}
	}
	if _, err := Expressions("mailto:x@y.z"); !errors.Is(err, ErrNoHost) {
		t.Errorf("Expressions(mailto:…): %v, want ErrNoHost", err)
	}
}

// checkExpressions checks what every list of expressions must be: at most
// MaxExpressions, no duplicates, each a suffix of host at a dot followed by
// a prefix of the path and query, the first of them the whole of both.
func checkExpressions(t *testing.T, in, host, pathQuery string, list []string) {
	t.Helper()
	if len(list) == 0 || len(list) > MaxExpressions {
		t.Errorf("%q: %d expressions, want 1 to %d", in, len(list), MaxExpressions)
	}
	if len(list) > 0 && list[0] != host+pathQuery {
		t.Errorf("%q: first expression %q, want %q", in, list[0], host+pathQuery)
	}
	seen := make(map[string]bool, len(list))
	for _, e := range list {
		if seen[e] {
			t.Errorf("%q: %q twice in %q", in, e, list)
		}
		seen[e] = true
		h, p, ok := strings.Cut(e, "/")
		p = "/" + p
		switch {
		case !ok:
			t.Errorf("%q: expression %q has no path", in, e)
		case h != host && !strings.HasSuffix(host, "."+h):
			t.Errorf("%q: expression %q: %q is not a suffix of the host %q", in, e, h, host)
		case !strings.HasPrefix(pathQuery, p):
			t.Errorf("%q: expression %q: %q is not a prefix of %q", in, e, p, pathQuery)
		}
	}
}
