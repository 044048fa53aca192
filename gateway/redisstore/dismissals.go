package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/dismissals"
)

// Dismissals is a dismissals.Store shared by every replica: one hash of
// the dismissals by site, bounded by a maximum, and one list of the
// changes, newest first, trimmed to dismissals.MaxLog. Both keys carry the
// same hash tag, so that each change, a script over both, runs on one slot
// of a Cluster.
type Dismissals struct {
	client   redis.UniversalClient
	sites    string // the hash
	log      string // the list
	maxSites int
}

var _ dismissals.Store = (*Dismissals)(nil)

// NewDismissals returns a store on client whose keys start with prefix
// (DefaultPrefix when empty), keeping at most maxSites dismissals
// (dismissals.MaxSites when 0 or less, or more).
func NewDismissals(client redis.UniversalClient, prefix string, maxSites int) *Dismissals {
	if maxSites <= 0 || maxSites > dismissals.MaxSites {
		maxSites = dismissals.MaxSites
	}
	base := prefixOr(prefix) + ":{dismissals}"
	return &Dismissals{client: client, sites: base, log: base + ":log", maxSites: maxSites}
}

// dismissScript stores a dismissal unless the hash is full and lacks its
// site, and logs it. KEYS: the hash, the log. ARGV: the site, the
// dismissal, the change, the bound of the hash, the bound of the log. It
// returns 1 when stored, 0 when full.
var dismissScript = redis.NewScript(`
if redis.call("HEXISTS", KEYS[1], ARGV[1]) == 0 and redis.call("HLEN", KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
redis.call("LPUSH", KEYS[2], ARGV[3])
redis.call("LTRIM", KEYS[2], 0, tonumber(ARGV[5]) - 1)
return 1
`)

// undoScript forgets a site's dismissal and logs the change. KEYS: the
// hash, the log. ARGV: the site, the change, the bound of the log. It
// returns the dismissal forgotten, or false when there was none.
var undoScript = redis.NewScript(`
local d = redis.call("HGET", KEYS[1], ARGV[1])
if not d then
  return false
end
redis.call("HDEL", KEYS[1], ARGV[1])
redis.call("LPUSH", KEYS[2], ARGV[2])
redis.call("LTRIM", KEYS[2], 0, tonumber(ARGV[3]) - 1)
return d
`)

// Dismiss implements dismissals.Store.
func (s *Dismissals) Dismiss(ctx context.Context, d dismissals.Dismissal) error {
	d, err := d.Check()
	if err != nil {
		return err
	}
	value, err := json.Marshal(d)
	if err != nil {
		return err
	}
	change, err := json.Marshal(d.Change())
	if err != nil {
		return err
	}
	stored, err := dismissScript.Run(ctx, s.client, []string{s.sites, s.log}, d.Site, value, change, s.maxSites, dismissals.MaxLog).Int()
	if err != nil {
		return fmt.Errorf("dismiss: %w", err)
	}
	if stored == 0 {
		return dismissals.ErrFull
	}
	return nil
}

// Undo implements dismissals.Store.
func (s *Dismissals) Undo(ctx context.Context, ch dismissals.Change) (dismissals.Dismissal, error) {
	change, err := json.Marshal(ch)
	if err != nil {
		return dismissals.Dismissal{}, err
	}
	stored, err := undoScript.Run(ctx, s.client, []string{s.sites, s.log}, ch.Site, change, dismissals.MaxLog).Text()
	if errors.Is(err, redis.Nil) {
		return dismissals.Dismissal{}, dismissals.ErrNotFound
	}
	if err != nil {
		return dismissals.Dismissal{}, fmt.Errorf("undo dismissal: %w", err)
	}
	return decodeDismissal([]byte(stored))
}

// Get implements dismissals.Store.
func (s *Dismissals) Get(ctx context.Context, site string) (dismissals.Dismissal, bool, error) {
	b, err := s.client.HGet(ctx, s.sites, site).Bytes()
	if errors.Is(err, redis.Nil) {
		return dismissals.Dismissal{}, false, nil
	}
	if err != nil {
		return dismissals.Dismissal{}, false, fmt.Errorf("read dismissal: %w", err)
	}
	d, err := decodeDismissal(b)
	return d, err == nil, err
}

// List implements dismissals.Store: one HVALS of a hash the scripts keep
// within its bound.
func (s *Dismissals) List(ctx context.Context) ([]dismissals.Dismissal, error) {
	values, err := s.client.HVals(ctx, s.sites).Result()
	if err != nil {
		return nil, fmt.Errorf("list dismissals: %w", err)
	}
	out := make([]dismissals.Dismissal, 0, len(values))
	for _, v := range values {
		d, err := decodeDismissal([]byte(v))
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Log implements dismissals.Store.
func (s *Dismissals) Log(ctx context.Context, limit int) ([]dismissals.Change, error) {
	if limit <= 0 {
		return nil, nil
	}
	values, err := s.client.LRange(ctx, s.log, 0, int64(min(limit, dismissals.MaxLog))-1).Result()
	if err != nil {
		return nil, fmt.Errorf("read the dismissals' log: %w", err)
	}
	out := make([]dismissals.Change, 0, len(values))
	for _, v := range values {
		var ch dismissals.Change
		if err := json.Unmarshal([]byte(v), &ch); err != nil {
			return nil, fmt.Errorf("read the dismissals' log: %w", err)
		}
		out = append(out, ch)
	}
	return out, nil
}

// decodeDismissal reads a stored dismissal.
func decodeDismissal(b []byte) (dismissals.Dismissal, error) {
	var d dismissals.Dismissal
	if err := json.Unmarshal(b, &d); err != nil {
		return dismissals.Dismissal{}, fmt.Errorf("read dismissal: %w", err)
	}
	return d, nil
}
