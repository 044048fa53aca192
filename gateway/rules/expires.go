package rules

import (
	"strconv"
	"strings"
	"time"
)

// MaxExpiresIn is the longest lifetime ParseExpiresIn accepts. A rule meant
// to last longer has no expiry, or belongs in the reviewed allowlist files.
const MaxExpiresIn = 366 * 24 * time.Hour

// ParseExpiresIn reads the expires_in of a new rule: a Go duration such as
// 90m or 12h30m, or whole days such as 7d. An empty text or "0" means the
// rule never expires and gives 0.
func ParseExpiresIn(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return 0, nil
	}
	var (
		d   time.Duration
		err error
	)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		if err == nil && (n < 0 || n > int(MaxExpiresIn/(24*time.Hour))) {
			return 0, fieldError("expires_in", "%q is more than %d days", truncate(s), MaxExpiresIn/(24*time.Hour))
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	switch {
	case err != nil:
		return 0, fieldError("expires_in", "%q is not a duration such as 30m, 12h or 7d", truncate(s))
	case d <= 0:
		return 0, fieldError("expires_in", "%q is not positive; leave it empty for a rule that never expires", truncate(s))
	case d > MaxExpiresIn:
		return 0, fieldError("expires_in", "%q is more than %d days", truncate(s), MaxExpiresIn/(24*time.Hour))
	}
	return d, nil
}

// ExpiresAfter is the ExpiresAt of a rule created at now that lasts d, as
// ParseExpiresIn gives it: the zero time, never, when d is 0.
func ExpiresAfter(now time.Time, d time.Duration) time.Time {
	if d == 0 {
		return time.Time{}
	}
	return now.Add(d).UTC()
}
