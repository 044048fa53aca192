package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/expand"
)

// Expansions is an expand.Cache shared by every replica: each expansion is
// one string key, its JSON, with the expansion's TTL. Every call touches
// one key, so that it works alike on a single server, Sentinel and
// Cluster. A Redis failure reads as nothing remembered: the click expands
// the link itself, and remembers it in its own memory.
type Expansions struct {
	client redis.UniversalClient
	prefix string
}

var _ expand.Cache = (*Expansions)(nil)

// NewExpansions returns an expansion cache on client whose keys start with
// prefix (DefaultPrefix when empty).
func NewExpansions(client redis.UniversalClient, prefix string) *Expansions {
	return &Expansions{client: client, prefix: prefixOr(prefix) + ":expand:"}
}

// key is the key of link: its SHA-256, so that a key is short and holds no
// part of the link.
func (s *Expansions) key(link string) string {
	sum := sha256.Sum256([]byte(link))
	return s.prefix + hex.EncodeToString(sum[:])
}

// Get implements expand.Cache.
func (s *Expansions) Get(ctx context.Context, link string) (expand.Expansion, bool) {
	b, err := s.client.Get(ctx, s.key(link)).Bytes()
	if err != nil {
		return expand.Expansion{}, false
	}
	var e expand.Expansion
	if err := json.Unmarshal(b, &e); err != nil || len(e.Chain) == 0 || e.Chain[0] != link {
		return expand.Expansion{}, false
	}
	return e, true
}

// Put implements expand.Cache.
func (s *Expansions) Put(ctx context.Context, link string, e expand.Expansion, ttl time.Duration) {
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	_ = s.client.Set(ctx, s.key(link), b, ttl).Err() // a failure only costs another walk
}
