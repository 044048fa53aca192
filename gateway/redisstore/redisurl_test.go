package redisstore

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseRedisURL(t *testing.T) {
	tests := []struct {
		url            string
		addrs          []string
		user, password string
		db             int
		master         string
		cluster, tls   bool
		serverName     string
	}{
		{url: "redis://localhost", addrs: []string{"localhost:6379"}},
		{url: "redis://127.0.0.1:6380/2", addrs: []string{"127.0.0.1:6380"}, db: 2},
		{url: "REDIS://cache.internal?db=3", addrs: []string{"cache.internal:6379"}, db: 3},
		{url: "redis://:s3cret@cache:6379/0", addrs: []string{"cache:6379"}, password: "s3cret"},
		{url: "redis://app:p%40ss%3Aw%2Fd@cache", addrs: []string{"cache:6379"}, user: "app", password: "p@ss:w/d"},
		{url: "redis://[::1]:7000", addrs: []string{"[::1]:7000"}},
		{url: "rediss://cache.example:6380", addrs: []string{"cache.example:6380"}, tls: true, serverName: "cache.example"},
		{url: "rediss://10.0.0.5?tls_server_name=redis.example", addrs: []string{"10.0.0.5:6379"}, tls: true, serverName: "redis.example"},
		{url: "unix:///run/redis/redis.sock", addrs: []string{"/run/redis/redis.sock"}},
		{url: "unix://:pw@/run/redis.sock?db=4", addrs: []string{"/run/redis.sock"}, password: "pw", db: 4},
		{url: "redis://n1:7000,n2:7001,n3", addrs: []string{"n1:7000", "n2:7001", "n3:6379"}, cluster: true},
		{url: "redis://seed:7000?cluster=true", addrs: []string{"seed:7000"}, cluster: true},
		{url: "redis://:pw@s1,s2:26380/1?master_name=mymaster&sentinel_password=sp",
			addrs: []string{"s1:26379", "s2:26380"}, password: "pw", db: 1, master: "mymaster"},
		{url: "redis://s1?sentinel_master=main", addrs: []string{"s1:26379"}, master: "main"},
	}
	for _, tt := range tests {
		opts, err := ParseRedisURL(tt.url)
		if err != nil {
			t.Errorf("ParseRedisURL(%q): %v", tt.url, err)
			continue
		}
		cluster := opts.IsClusterMode || len(opts.Addrs) > 1 && opts.MasterName == ""
		switch {
		case !slices.Equal(opts.Addrs, tt.addrs):
			t.Errorf("%q: addrs %q, want %q", tt.url, opts.Addrs, tt.addrs)
		case opts.Username != tt.user || opts.Password != tt.password:
			t.Errorf("%q: credentials %q:%q, want %q:%q", tt.url, opts.Username, opts.Password, tt.user, tt.password)
		case opts.DB != tt.db:
			t.Errorf("%q: db %d, want %d", tt.url, opts.DB, tt.db)
		case opts.MasterName != tt.master:
			t.Errorf("%q: master %q, want %q", tt.url, opts.MasterName, tt.master)
		case cluster != tt.cluster:
			t.Errorf("%q: cluster %v, want %v", tt.url, cluster, tt.cluster)
		case (opts.TLSConfig != nil) != tt.tls:
			t.Errorf("%q: TLS %v, want %v", tt.url, opts.TLSConfig != nil, tt.tls)
		case tt.tls && opts.TLSConfig.ServerName != tt.serverName:
			t.Errorf("%q: TLS server name %q, want %q", tt.url, opts.TLSConfig.ServerName, tt.serverName)
		}
	}
}

func TestParseRedisURLTuning(t *testing.T) {
	opts, err := ParseRedisURL("redis://h?dial_timeout=2s&read_timeout=500ms&write_timeout=1s&pool_size=20&client_name=safelink")
	if err != nil {
		t.Fatal(err)
	}
	if opts.DialTimeout != 2*time.Second || opts.ReadTimeout != 500*time.Millisecond ||
		opts.WriteTimeout != time.Second || opts.PoolSize != 20 || opts.ClientName != "safelink" {
		t.Errorf("tuning not applied: %+v", opts)
	}
}

func TestParseRedisURLRefuses(t *testing.T) {
	tests := []struct {
		url, want string
	}{
		{"", "is empty"},
		{"localhost:6379", "has no scheme"},
		{"http://localhost", "scheme must be redis, rediss or unix"},
		{"redis://", "has no host"},
		{"redis://:6379", "host 1 is not a valid host name"},
		{"redis://a,,b", "host 2 is not a valid host name"},
		{"redis://h:0", "port that is not a number from 1 to 65535"},
		{"redis://h:65536", "port that is not a number"},
		{"redis://h:+80", "port that is not a number"},
		{"redis://::1", "write an IPv6 address in brackets"},
		{"redis://[::1", "unclosed"},
		{"redis://[zz]:1", "not a valid IPv6 address"},
		{"redis://h/abc", "database must be a number"},
		{"redis://h/-1", "database must be a number"},
		{"redis://h/1?db=2", "both in the path and as db"},
		{"redis://a,b/1", "only database 0"},
		{"redis://h?cluster=yes", "cluster must be true or false"},
		{"redis://h?cluster=true&master_name=m", "exclude each other"},
		{"redis://h?master_name=", "master_name is empty"},
		{"redis://h?master_name=a&sentinel_master=b", "not both"},
		{"redis://h?sentinel_password=x", "need master_name"},
		{"redis://h?tls_server_name=x", "needs the rediss scheme"},
		{"redis://h?timeout=1s", "unknown parameter timeout"},
		{"redis://h?db=1&db=2", "db is given more than once"},
		{"redis://h?dial_timeout=soon", "dial_timeout must be a positive Go duration"},
		{"redis://h?pool_size=0", "pool_size must be a number"},
		{"redis://user@h", "user name without a password"},
		{"redis://user:@h", "empty password"},
		{"redis://:p%zz@h", "bad percent-encoding in the password"},
		{"redis://:pa#ss@h", "percent-encode it (%23)"},
		{"unix://host/tmp/r.sock", "a unix URL has no host"},
		{"unix://", "absolute path of the socket"},
		{"unix:///tmp/r.sock?master_name=m", "does not apply to a unix socket"},
	}
	for _, tt := range tests {
		_, err := ParseRedisURL(tt.url)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseRedisURL(%q) = %v, want an error with %q", tt.url, err, tt.want)
		}
	}
}

func TestParseRedisURLNeverEchoesSecrets(t *testing.T) {
	const secret = "Tr0ub4dor-and-3"
	urls := []string{
		"redis://user:" + secret + "@h:bad",
		"redis://user:" + secret + "/x@h",
		"redis://user:" + secret + ":more@h/zz",
		"redis://u:" + secret + "@h?" + secret + "=1",
		"redis://h?sentinel_password=" + secret,
		"redis://h?db=" + secret,
		"redis://h?pool_size=" + secret,
		"rediss://:" + secret + "@[" + secret + "]",
		"unix://:" + secret + "@h/x",
		secret + "://h",
		"user:" + secret + "@h",
	}
	for _, u := range urls {
		_, err := ParseRedisURL(u)
		if err == nil {
			t.Errorf("ParseRedisURL(%q) accepted it", u)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("ParseRedisURL(%q) error leaks the secret: %v", u, err)
		}
	}
}
