package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/ratelimit"
)

// Defaults of LimiterOptions.
const (
	DefaultLimiterTimeout  = 100 * time.Millisecond
	DefaultLimiterCooldown = time.Second
)

// maxKeyLength is the longest caller key used as is; longer ones are hashed.
const maxKeyLength = 128

// LimiterOptions tune a Limiter. The zero value is usable.
type LimiterOptions struct {
	Prefix string // key prefix; DefaultPrefix when empty
	// Timeout bounds one call to Redis: past it, the local fallback
	// decides. DefaultLimiterTimeout when 0.
	Timeout time.Duration
	// Cooldown is how long the fallback alone decides after a Redis
	// failure, before Redis is tried again. DefaultLimiterCooldown when 0.
	Cooldown time.Duration
	// MaxKeys bounds the keys of the local fallback; see ratelimit.NewMemory.
	MaxKeys int
	Logger  *slog.Logger // the start and end of fallback; none when nil
}

// Limiter is a ratelimit.Limiter shared by every replica through Redis. When
// Redis fails, a local ratelimit.Memory decides instead, and Allow reports
// the failure as its error; so a Redis outage loosens limits to one
// replica's view, and never blocks or refuses everyone.
type Limiter struct {
	client   redis.UniversalClient
	prefix   string
	limit    ratelimit.Limit
	opts     LimiterOptions
	fallback *ratelimit.Memory

	degraded  atomic.Bool // Redis failed and has not answered since
	mu        sync.Mutex
	failedAt  time.Time // last Redis failure
	lastError error
}

var _ ratelimit.Limiter = (*Limiter)(nil)

// NewLimiter returns a Limiter applying limit to the keys of one purpose,
// name (such as "report"), so that several limits never share keys. It
// panics on a limit that fails Check, a programming error.
func NewLimiter(client redis.UniversalClient, name string, limit ratelimit.Limit, opts LimiterOptions) *Limiter {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultLimiterTimeout
	}
	if opts.Cooldown <= 0 {
		opts.Cooldown = DefaultLimiterCooldown
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Limiter{
		client:   client,
		prefix:   prefixOr(opts.Prefix) + ":ratelimit:" + name + ":",
		limit:    limit,
		opts:     opts,
		fallback: ratelimit.NewMemory(limit, opts.MaxKeys),
	}
}

// gcraScript applies GCRA on Redis's clock, in microseconds. KEYS: the
// key's state. ARGV: interval, burst. It returns {1, 0} when allowed, or
// {0, µs until allowed}.
var gcraScript = redis.NewScript(`
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local every = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call("GET", KEYS[1]) or "0")
if tat < now then tat = now end
local new_tat = tat + every
local wait = new_tat - now - burst * every
if wait > 0 then return {0, wait} end
redis.call("SET", KEYS[1], string.format("%d", new_tat), "PX", math.ceil((new_tat - now) / 1000))
return {1, 0}
`)

// Allow implements ratelimit.Limiter.
func (l *Limiter) Allow(ctx context.Context, key string) (bool, time.Duration, error) {
	if err := l.coolingDown(); err != nil {
		ok, retry, _ := l.fallback.Allow(ctx, key)
		return ok, retry, err
	}
	ctx, cancel := context.WithTimeout(ctx, l.opts.Timeout)
	defer cancel()
	res, err := gcraScript.Run(ctx, l.client, []string{l.prefix + shorten(key)},
		l.limit.Every.Microseconds(), l.limit.Burst).Int64Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("unexpected reply %v", res)
	}
	if err != nil {
		err = l.failed(err)
		ok, retry, _ := l.fallback.Allow(ctx, key)
		return ok, retry, err
	}
	l.recovered()
	return res[0] == 1, time.Duration(res[1]) * time.Microsecond, nil
}

// coolingDown returns the error to report while the fallback alone
// decides, or nil when Redis may be tried.
func (l *Limiter) coolingDown() error {
	if !l.degraded.Load() {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if time.Since(l.failedAt) >= l.opts.Cooldown {
		return nil
	}
	return l.lastError
}

func (l *Limiter) failed(err error) error {
	err = fmt.Errorf("rate limit in Redis failed, limiting locally: %w", err)
	l.mu.Lock()
	first := !l.degraded.Swap(true)
	l.failedAt, l.lastError = time.Now(), err
	l.mu.Unlock()
	if first {
		l.opts.Logger.Warn("rate limiting locally", "error", err)
	}
	return err
}

func (l *Limiter) recovered() {
	if l.degraded.Swap(false) {
		l.opts.Logger.Info("rate limiting through Redis again")
	}
}

// shorten keeps keys short: a key longer than maxKeyLength is replaced by
// its SHA-256.
func shorten(key string) string {
	if len(key) <= maxKeyLength {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}
