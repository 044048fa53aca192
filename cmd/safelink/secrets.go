package main

import (
	"strings"

	"github.com/blibli/safelink/gateway/redact"
	"github.com/blibli/safelink/gateway/redisstore"
)

// secrets returns every secret among the serve settings. The logger and
// the internal /readyz take them out of whatever they write, so that no
// library's error can carry one into a log line or a status body.
func (f *serveFlags) secrets() *redact.Secrets {
	values := append(f.threatFlags.secrets(), f.tokenKey, f.eventSalt)
	values = append(values, redisSecrets(f.redisURL)...)
	values = append(values, f.expandFlags.secrets()...)
	for _, list := range []string{f.adminTokens, f.apiTokens, f.signingFlags.keys} {
		values = append(values, listSecrets(list)...)
	}
	return redact.New(values...)
}

// secrets returns the API keys of the threat sources.
func (t *threatFlags) secrets() []string {
	return []string{t.sb.apiKey, t.wr.apiKey}
}

// listSecrets returns the entries of a comma-separated list of secrets,
// each whole and, for a "name:secret" entry, its secret alone.
func listSecrets(list string) []string {
	var out []string
	for _, entry := range strings.Split(list, ",") {
		entry = strings.TrimSpace(entry)
		out = append(out, entry)
		if _, secret, ok := strings.Cut(entry, ":"); ok {
			out = append(out, secret)
		}
	}
	return out
}

// redisSecrets returns the passwords of a Redis URL (redact.New adds
// their escaped forms).
func redisSecrets(rawURL string) []string {
	opts, err := redisstore.ParseRedisURL(rawURL)
	if err != nil {
		return nil
	}
	return []string{opts.Password, opts.SentinelPassword}
}
