package redisstore

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// knownParams are the query parameters a Redis URL may carry.
var knownParams = map[string]bool{
	"db": true, "master_name": true, "sentinel_master": true,
	"sentinel_username": true, "sentinel_password": true, "cluster": true,
	"tls_server_name": true, "client_name": true, "dial_timeout": true,
	"read_timeout": true, "write_timeout": true, "pool_size": true,
}

// parseParams decodes the query, refusing unknown and repeated parameters.
func parseParams(query string) (map[string]string, error) {
	params := map[string]string{}
	if query == "" {
		return params, nil
	}
	for _, pair := range strings.Split(query, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil || !knownParams[name] {
			return nil, bad("has an unknown parameter" + describeName(name, err))
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			return nil, bad("parameter " + name + " has a bad percent-encoding")
		}
		if _, dup := params[name]; dup {
			return nil, bad("parameter " + name + " is given more than once")
		}
		params[name] = value
	}
	return params, nil
}

// describeName names an unknown parameter when its name is short and
// plainly a name, so that no value pasted by mistake is echoed.
func describeName(name string, err error) string {
	if err != nil || name == "" || len(name) > 32 {
		return ""
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !('a' <= c && c <= 'z' || c == '_') {
			return ""
		}
	}
	return " " + name
}

// maxPoolSize bounds pool_size.
const maxPoolSize = 10000

// setTuning applies the client name, timeouts and pool size.
func setTuning(opts *redis.UniversalOptions, params map[string]string) error {
	opts.ClientName = params["client_name"]
	durations := []struct {
		name string
		dst  *time.Duration
	}{
		{"dial_timeout", &opts.DialTimeout},
		{"read_timeout", &opts.ReadTimeout},
		{"write_timeout", &opts.WriteTimeout},
	}
	for _, d := range durations {
		raw, ok := params[d.name]
		if !ok {
			continue
		}
		v, err := time.ParseDuration(raw)
		if err != nil || v <= 0 || v > time.Hour {
			return bad(d.name + " must be a positive Go duration up to 1h, such as 2s")
		}
		*d.dst = v
	}
	if raw, ok := params["pool_size"]; ok {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxPoolSize {
			return bad("pool_size must be a number from 1 to " + strconv.Itoa(maxPoolSize))
		}
		opts.PoolSize = n
	}
	return nil
}
