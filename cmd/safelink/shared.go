package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/redisstore"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/token"
)

// sharedFlags are the settings of the state the replicas share.
type sharedFlags struct {
	redisURL        string
	adminTokens     string
	tokenKey        string
	eventSalt       string
	saltRotation    time.Duration
	clientIPHeader  string
	trustedProxies  string
	reportPerMinute int
	apiPerMinute    int
	rulesResync     time.Duration
	eventQueue      int
}

func (s *sharedFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.redisURL, "redis-url", "", "Redis for rules, events and rate limits shared by the replicas (redis://, rediss://, unix://; several hosts for Cluster, ?master_name= for Sentinel); empty keeps them in memory")
	fs.StringVar(&s.adminTokens, "admin-tokens", "", "comma-separated bearer tokens of the admin API; empty turns it off")
	fs.StringVar(&s.tokenKey, "token-key", "", "base64 key (32+ bytes) signing the continue and report forms, the same on every replica (required with redis-url); empty makes a random one for a single instance")
	fs.StringVar(&s.eventSalt, "event-salt", "", "secret (16+ bytes) salting the client pseudonyms in events, the same on every replica; empty makes a random one")
	fs.DurationVar(&s.saltRotation, "event-salt-rotation", 24*time.Hour, "how often the client pseudonyms in events change, so they do not link one person's events across periods (24h: each UTC day); 0 never changes them")
	fs.StringVar(&s.clientIPHeader, "client-ip-header", "", "header a trusted proxy puts the client address in: X-Forwarded-For or X-Real-IP; empty uses the peer address")
	fs.StringVar(&s.trustedProxies, "trusted-proxies", "", "comma-separated addresses or CIDRs of the proxies trusted to set -client-ip-header, required with it; no address is trusted otherwise, loopback and private ranges included")
	fs.IntVar(&s.reportPerMinute, "report-per-minute", 6, "reports a client may send per minute")
	fs.IntVar(&s.apiPerMinute, "api-per-minute", 600, "API calls a client may make per minute")
	fs.DurationVar(&s.rulesResync, "rules-resync", rules.DefaultResync, "how often every replica reloads all rules, besides the change notices")
	fs.IntVar(&s.eventQueue, "event-queue", 10000, "events waiting to be written at most; more are dropped and counted")
}

// sharedState is the opened shared state and what serve must run and stop.
type sharedState struct {
	gateway.Shared
	syncer *rules.Syncer
	queue  *events.Queue
	client redis.UniversalClient // nil in memory
}

// open connects the shared state: Redis when a URL is set, memory
// otherwise. It does not wait for Redis: a replica starts while Redis is
// down and catches up when it returns.
func (s *sharedFlags) open(logger *slog.Logger) (*sharedState, error) {
	if s.reportPerMinute < 1 || s.apiPerMinute < 1 || s.eventQueue < 1 {
		return nil, errors.New("report-per-minute, api-per-minute and event-queue must be at least 1")
	}
	hasher, err := s.hasher(logger)
	if err != nil {
		return nil, err
	}
	reportLimit := ratelimit.PerMinute(s.reportPerMinute, s.reportPerMinute)
	if err := reportLimit.Check(); err != nil {
		return nil, fmt.Errorf("report-per-minute: %w", err)
	}
	apiLimit := ratelimit.PerMinute(s.apiPerMinute, s.apiPerMinute)
	if err := apiLimit.Check(); err != nil {
		return nil, fmt.Errorf("api-per-minute: %w", err)
	}
	st := &sharedState{}
	var (
		ruleStore rules.Store
		sink      events.Sink
	)
	if s.redisURL == "" {
		memRules, memEvents := rules.NewMemoryStore(0), events.NewMemorySink(0)
		ruleStore, sink = memRules, memEvents
		st.EventReader = memEvents
		st.ReportLimit = ratelimit.NewMemory(reportLimit, 0)
		st.APILimit = ratelimit.NewMemory(apiLimit, 0)
	} else {
		client, err := redisstore.OpenRedis(s.redisURL)
		if err != nil {
			return nil, err
		}
		redis.SetLogger(newRedisLog(logger))
		st.client = client
		ruleStore = redisstore.NewRules(client, redisstore.RulesOptions{Logger: logger})
		redisEvents := redisstore.NewEvents(client, redisstore.EventsOptions{})
		sink, st.EventReader = redisEvents, redisEvents
		st.ReportLimit = redisstore.NewLimiter(client, "report", reportLimit, redisstore.LimiterOptions{Logger: logger})
		st.APILimit = redisstore.NewLimiter(client, "api", apiLimit, redisstore.LimiterOptions{Logger: logger})
	}
	st.syncer = rules.NewSyncer(ruleStore, rules.SyncerOptions{Resync: s.rulesResync, Logger: logger})
	st.queue = events.NewQueue(sink, events.QueueOptions{Capacity: s.eventQueue, Logger: logger})
	st.Rules, st.RuleSync, st.Events, st.Hasher = ruleStore, st.syncer, st.queue, hasher
	return st, nil
}

// close flushes the event queue and closes the Redis connection.
func (st *sharedState) close(ctx context.Context) error {
	err := st.queue.Close(ctx)
	if st.client != nil {
		err = errors.Join(err, st.client.Close())
	}
	return err
}

func (s *sharedFlags) hasher(logger *slog.Logger) (*events.Hasher, error) {
	salt := []byte(s.eventSalt)
	if s.eventSalt == "" {
		salt = make([]byte, 32)
		if _, err := rand.Read(salt); err != nil {
			return nil, err
		}
		logger.Warn("no event salt (SAFELINK_EVENT_SALT): client pseudonyms differ between replicas and restarts")
	}
	h, err := events.NewRotatingHasher(salt, s.saltRotation)
	if err != nil {
		return nil, fmt.Errorf("event-salt: %w", err)
	}
	return h, nil
}

// tokens returns the form token signer: from the key, or random for a
// single instance (no shared state).
func (s *sharedFlags) tokens(logger *slog.Logger) (*token.Signer, error) {
	if s.tokenKey == "" {
		if s.redisURL != "" {
			// Shared state means several replicas behind one address: a
			// form shown by one would read as expired on another.
			return nil, errors.New("token-key is required with redis-url: every replica must accept the continue and report forms the others show; set SAFELINK_TOKEN_KEY to the same base64 key (32+ bytes) on every replica")
		}
		logger.Warn("no token key (SAFELINK_TOKEN_KEY): continue and report forms work only on the replica that showed them")
		return token.RandomSigner(), nil
	}
	key, err := base64.StdEncoding.DecodeString(s.tokenKey)
	if err != nil {
		return nil, errors.New("token-key: not base64")
	}
	signer, err := token.NewSigner(key)
	if err != nil {
		return nil, fmt.Errorf("token-key: %w", err)
	}
	return signer, nil
}

// tokenList splits a comma-separated list of bearer tokens, refusing short
// ones; setting names the list in errors.
func tokenList(setting, list string) ([]string, error) {
	var out []string
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if len(t) < 16 {
			return nil, fmt.Errorf("%s: token %d is shorter than 16 characters", setting, len(out)+1)
		}
		out = append(out, t)
	}
	return out, nil
}

// redisLogInterval is the least time between two of go-redis's own log
// lines: with Redis down it writes one for every failed dial, many a
// second.
const redisLogInterval = 10 * time.Second

// redisLog sends go-redis's own log lines to slog, at most one a
// redisLogInterval, with the count of those left out since the last.
type redisLog struct {
	logger   *slog.Logger
	throttle *ratelimit.Throttle
}

func newRedisLog(logger *slog.Logger) *redisLog {
	return &redisLog{logger: logger, throttle: ratelimit.NewThrottle(redisLogInterval)}
}

func (l *redisLog) Printf(ctx context.Context, format string, v ...any) {
	if ok, leftOut := l.throttle.Allow(time.Now()); ok {
		l.logger.Warn("redis: "+fmt.Sprintf(format, v...), "left_out", leftOut)
	}
}
