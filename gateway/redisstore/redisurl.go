package redisstore

import (
	"crypto/tls"
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Default ports of a Redis server and of a Sentinel.
const (
	DefaultPort         = "6379"
	DefaultSentinelPort = "26379"
)

// URLError is a problem with a Redis URL. Its message names the part that is
// wrong and never echoes what the URL holds.
type URLError struct {
	Msg string
}

func (e *URLError) Error() string { return "redis URL: " + e.Msg }

func bad(msg string) error { return &URLError{Msg: msg} }

// ParseRedisURL turns a Redis URL, in the form the package documentation
// describes, into options for redis.NewUniversalClient.
func ParseRedisURL(rawURL string) (*redis.UniversalOptions, error) {
	s := strings.TrimSpace(rawURL)
	if s == "" {
		return nil, bad("is empty")
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return nil, bad("has no scheme; start it with redis://, rediss:// or unix://")
	}
	scheme = strings.ToLower(scheme)
	if scheme != "redis" && scheme != "rediss" && scheme != "unix" {
		return nil, bad("scheme must be redis, rediss or unix")
	}
	if strings.Contains(rest, "#") {
		return nil, bad("has a \"#\"; percent-encode it (%23) in a password")
	}
	authority, path, query := splitURL(rest)
	params, err := parseParams(query)
	if err != nil {
		return nil, err
	}
	// Every call of the gateway carries its own deadline (a click's rate
	// limit, an admin call), which the client must honour rather than
	// wait out its own read timeout and retries.
	opts := &redis.UniversalOptions{ContextTimeoutEnabled: true}
	hostList, err := setCredentials(opts, authority)
	if err != nil {
		return nil, err
	}
	if scheme == "unix" {
		err = setUnix(opts, hostList, path, params)
	} else {
		err = setTCP(opts, scheme == "rediss", hostList, path, params)
	}
	if err != nil {
		return nil, err
	}
	if err := setTuning(opts, params); err != nil {
		return nil, err
	}
	return opts, nil
}

// splitURL splits what follows "scheme://" into the authority, the path
// and the query.
func splitURL(rest string) (authority, path, query string) {
	rest, query, _ = strings.Cut(rest, "?")
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return rest[:i], rest[i:], query
	}
	return rest, "", query
}

// setCredentials takes the user name and password from the authority and
// returns the host list that follows them.
func setCredentials(opts *redis.UniversalOptions, authority string) (hosts string, err error) {
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return authority, nil
	}
	userinfo, hosts := authority[:at], authority[at+1:]
	rawUser, rawPassword, hasPassword := strings.Cut(userinfo, ":")
	if !hasPassword {
		return "", bad("has a user name without a password; write user:password@ or :password@")
	}
	if opts.Username, err = url.PathUnescape(rawUser); err != nil {
		return "", bad("has a bad percent-encoding in the user name")
	}
	if opts.Password, err = url.PathUnescape(rawPassword); err != nil {
		return "", bad("has a bad percent-encoding in the password")
	}
	if opts.Password == "" {
		return "", bad("has an empty password after \":\"; leave out the user part when there is no password")
	}
	return hosts, nil
}

func setUnix(opts *redis.UniversalOptions, hosts, path string, params map[string]string) error {
	if hosts != "" {
		return bad("a unix URL has no host; write unix:///path/to/redis.sock")
	}
	socket, err := url.PathUnescape(path)
	if err != nil || socket == "" || socket == "/" {
		return bad("a unix URL needs the absolute path of the socket")
	}
	for _, name := range []string{"master_name", "cluster", "tls_server_name", "sentinel_username", "sentinel_password"} {
		if _, ok := params[name]; ok {
			return bad("parameter " + name + " does not apply to a unix socket")
		}
	}
	opts.Addrs = []string{socket}
	db, err := parseDB("", params)
	opts.DB = db
	return err
}

func setTCP(opts *redis.UniversalOptions, useTLS bool, hostList, path string, params map[string]string) error {
	opts.MasterName = params["master_name"]
	if alias, ok := params["sentinel_master"]; ok {
		if opts.MasterName != "" {
			return bad("give master_name or sentinel_master, not both")
		}
		opts.MasterName = alias
	}
	if _, ok := params["master_name"]; ok && opts.MasterName == "" {
		return bad("master_name is empty")
	}
	if _, ok := params["sentinel_master"]; ok && opts.MasterName == "" {
		return bad("sentinel_master is empty")
	}
	opts.SentinelUsername = params["sentinel_username"]
	opts.SentinelPassword = params["sentinel_password"]
	if opts.MasterName == "" && (opts.SentinelUsername != "" || opts.SentinelPassword != "") {
		return bad("sentinel_username and sentinel_password need master_name")
	}
	defaultPort := DefaultPort
	if opts.MasterName != "" {
		defaultPort = DefaultSentinelPort
	}
	if hostList == "" {
		return bad("has no host")
	}
	for i, hp := range strings.Split(hostList, ",") {
		addr, err := parseHostPort(hp, defaultPort)
		if err != nil {
			return bad("host " + strconv.Itoa(i+1) + " " + err.Error())
		}
		opts.Addrs = append(opts.Addrs, addr)
	}
	switch params["cluster"] {
	case "", "false":
	case "true":
		if opts.MasterName != "" {
			return bad("cluster=true and master_name exclude each other")
		}
		opts.IsClusterMode = true
	default:
		return bad("cluster must be true or false")
	}
	cluster := opts.IsClusterMode || len(opts.Addrs) > 1 && opts.MasterName == ""
	db, err := parseDB(path, params)
	if err != nil {
		return err
	}
	if cluster && db != 0 {
		return bad("a Redis Cluster has only database 0")
	}
	opts.DB = db
	serverName, hasServerName := params["tls_server_name"]
	if !useTLS {
		if hasServerName {
			return bad("tls_server_name needs the rediss scheme")
		}
		return nil
	}
	if !hasServerName {
		serverName, _, _ = net.SplitHostPort(opts.Addrs[0])
	}
	opts.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, ServerName: serverName}
	return nil
}

// parseHostPort checks one host[:port] of the host list and returns it with
// its port.
func parseHostPort(hp, defaultPort string) (string, error) {
	host, port := hp, ""
	if strings.HasPrefix(hp, "[") {
		end := strings.IndexByte(hp, ']')
		if end < 0 {
			return "", errors.New("has an unclosed \"[\"")
		}
		host = hp[1:end]
		rest := hp[end+1:]
		if rest != "" {
			if rest[0] != ':' {
				return "", errors.New("has text after \"]\"")
			}
			port = rest[1:]
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || !ip.Is6() || ip.Zone() != "" {
			return "", errors.New("is not a valid IPv6 address")
		}
	} else {
		if i := strings.LastIndexByte(hp, ':'); i >= 0 {
			host, port = hp[:i], hp[i+1:]
		}
		if !validHostName(host) {
			return "", errors.New("is not a valid host name; write an IPv6 address in brackets")
		}
	}
	if port == "" {
		port = defaultPort
	} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || port[0] == '+' || port[0] == '0' {
		return "", errors.New("has a port that is not a number from 1 to 65535")
	}
	return net.JoinHostPort(host, port), nil
}

// validHostName accepts a DNS name or an IPv4 address: letters, digits,
// "-", "_" and ".", at most 253 bytes.
func validHostName(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// maxDB bounds the database number; Redis itself is configured with far
// fewer (16 by default).
const maxDB = 1 << 20

func parseDB(path string, params map[string]string) (int, error) {
	fromPath := strings.TrimPrefix(path, "/")
	fromParam, hasParam := params["db"]
	if fromPath != "" && hasParam {
		return 0, bad("gives the database both in the path and as db")
	}
	raw := fromPath
	if hasParam {
		raw = fromParam
	}
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 || n > maxDB || raw[0] == '+' || (raw[0] == '0' && raw != "0") {
		return 0, bad("database must be a number from 0 to " + strconv.Itoa(maxDB))
	}
	return n, nil
}

// clusterReloadInterval is how often a Cluster client reloads the map of
// slots to nodes. go-redis reloads it at once on a MOVED answer, but not
// when a master dies: until the next periodic reload, commands for its
// slots go to the dead address, even after a replica has taken over.
const clusterReloadInterval = 2 * time.Second

// OpenRedis parses rawURL (see the package documentation) and returns a
// client for a single server, a Sentinel-managed master or a Cluster. It
// does not contact Redis: the client connects on first use, so a gateway
// can start while Redis is down.
func OpenRedis(rawURL string) (redis.UniversalClient, error) {
	opts, err := ParseRedisURL(rawURL)
	if err != nil {
		return nil, err
	}
	if opts.MasterName == "" && (opts.IsClusterMode || len(opts.Addrs) > 1) {
		cluster := opts.Cluster()
		cluster.ClusterStateReloadInterval = clusterReloadInterval
		return redis.NewClusterClient(cluster), nil
	}
	return redis.NewUniversalClient(opts), nil
}
