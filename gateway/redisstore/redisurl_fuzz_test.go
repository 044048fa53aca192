package redisstore

import (
	"strings"
	"testing"
)

// FuzzParseRedisURL checks that the parser never panics, that what it
// accepts is usable, and that no error repeats the password.
func FuzzParseRedisURL(f *testing.F) {
	f.Add("Sup3r-Secret", "cache:6379/0")
	f.Add("pw", "n1,n2:7000?cluster=true")
	f.Add("x/y", "[::1]:1?master_name=m&sentinel_password=z")
	f.Add("p#w", "h?db=01")
	f.Add("", "/run/redis.sock")
	f.Fuzz(func(t *testing.T, password, rest string) {
		for _, scheme := range []string{"redis", "rediss", "unix"} {
			raw := scheme + "://user:" + password + "@" + rest
			opts, err := ParseRedisURL(raw)
			if err != nil {
				if len(password) >= 6 && !strings.Contains(rest, password) && strings.Contains(err.Error(), password) {
					t.Fatalf("ParseRedisURL(%q) error repeats the password: %v", raw, err)
				}
				continue
			}
			if len(opts.Addrs) == 0 {
				t.Fatalf("ParseRedisURL(%q) accepted it with no address", raw)
			}
			for _, a := range opts.Addrs {
				if scheme == "unix" && !strings.HasPrefix(a, "/") || scheme != "unix" && strings.ContainsAny(a, "/,?#@ ") {
					t.Fatalf("ParseRedisURL(%q) gave address %q", raw, a)
				}
			}
			if opts.DB < 0 || (len(opts.Addrs) > 1 && opts.MasterName == "" && opts.DB != 0) {
				t.Fatalf("ParseRedisURL(%q) gave db %d for %d addresses", raw, opts.DB, len(opts.Addrs))
			}
			if (scheme == "rediss") != (opts.TLSConfig != nil) {
				t.Fatalf("ParseRedisURL(%q): TLS %v", raw, opts.TLSConfig != nil)
			}
		}
	})
}
