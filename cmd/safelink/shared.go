package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/bearer"
	"github.com/blibli/safelink/gateway/dismissals"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/expand"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/redisstore"
	"github.com/blibli/safelink/gateway/reports"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/gateway/token"
)

// sharedFlags are the settings of the state the replicas share.
type sharedFlags struct {
	redisURL              string
	adminTokens           string
	tokenKey              string
	eventSalt             string
	saltRotation          time.Duration
	clientIPHeader        string
	trustedProxies        string
	consoleTrustedProxies string
	reportPerMinute       int
	apiPerMinute          int
	adminPerMinute        int
	authFailuresPerMinute int
	rulesResync           time.Duration
	auditRetention        time.Duration
	eventQueue            int
	eventShards           int
	reportThreshold       int
	reportWindow          time.Duration
	reportedTTL           time.Duration
	statsRetention        time.Duration
}

func (s *sharedFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.redisURL, "redis-url", "", "Redis for rules, events and rate limits shared by the replicas (redis://, rediss://, unix://; several hosts for Cluster, ?master_name= for Sentinel); empty keeps them in memory")
	fs.StringVar(&s.adminTokens, "admin-tokens", "", "comma-separated name:token entries of the admin API: the name (1 to 64 of a-z 0-9 . _ @ -) is the author of each change in the audit log, the token 16 to 4096 characters; empty turns the API off")
	fs.StringVar(&s.tokenKey, "token-key", "", "base64 key (32+ bytes) signing the continue and report forms, the same on every replica (required with redis-url); empty makes a random one for a single instance")
	fs.StringVar(&s.eventSalt, "event-salt", "", "secret (16+ bytes) salting the client pseudonyms in events, the same on every replica; empty makes a random one")
	fs.DurationVar(&s.saltRotation, "event-salt-rotation", 24*time.Hour, "how often the client pseudonyms in events change, so they do not link one person's events across periods (24h: each UTC day); 0 never changes them")
	fs.StringVar(&s.clientIPHeader, "client-ip-header", "", "header a trusted proxy puts the client address in: X-Forwarded-For or X-Real-IP; empty uses the peer address")
	fs.StringVar(&s.trustedProxies, "trusted-proxies", "", "comma-separated addresses or CIDRs of the proxies trusted to set -client-ip-header, required with it; no address is trusted otherwise, loopback and private ranges included")
	fs.StringVar(&s.consoleTrustedProxies, "console-trusted-proxies", "", "comma-separated addresses or CIDRs of the authenticating proxies (such as oauth2-proxy) trusted to name the console's person in X-Auth-Request-Email or X-Forwarded-Email; a request from any other address with either header is refused; empty: sign in with an admin token")
	fs.IntVar(&s.reportPerMinute, "report-per-minute", 6, "reports a client may send per minute")
	fs.IntVar(&s.apiPerMinute, "api-per-minute", 600, "rewrite API calls each token may make per minute")
	fs.IntVar(&s.adminPerMinute, "admin-per-minute", 60, "admin API and console calls with a bearer token each token may make per minute, apart from the rewrite API's")
	fs.IntVar(&s.authFailuresPerMinute, "auth-failures-per-minute", 30, "API calls without a known token a client may make per minute, apart from every token's calls")
	fs.DurationVar(&s.rulesResync, "rules-resync", rules.DefaultResync, "how often every replica reloads all rules, besides the change notices")
	fs.DurationVar(&s.auditRetention, "audit-retention", rules.DefaultAuditRetention, "how long the audit log keeps a change to the rules (9600h is 400 days), from 24h to 87600h")
	fs.IntVar(&s.eventQueue, "event-queue", 10000, "events waiting to be written at most; more are dropped and counted")
	fs.IntVar(&s.eventShards, "event-shards", redisstore.DefaultEventShards, "Redis streams each kind of event is spread over, so that no Redis Cluster node takes them all (1 to 64)")
	fs.IntVar(&s.reportThreshold, "report-threshold", 3, "distinct clients whose reports of one domain within -report-window make every replica warn about it (reason reported) until the security team decides; 0 turns it off")
	fs.DurationVar(&s.reportWindow, "report-window", time.Hour, "the window in which -report-threshold distinct clients must report a domain (1m to 168h)")
	fs.DurationVar(&s.reportedTTL, "reported-ttl", 24*time.Hour, "how long a reported rule warns unless the security team decides with a rule of its own (1h to 720h)")
	fs.DurationVar(&s.statsRetention, "stats-retention", series.DefaultRetention, "how long the per-hour counts of the statistics are kept (192h is 8 days), from 1h to 8760h; per-minute counts are kept 26h at most")
}

// Bounds of the reported rules' settings.
const (
	maxReportThreshold = 1000
	minReportWindow    = time.Minute
	maxReportWindow    = 7 * 24 * time.Hour
	minReportedTTL     = time.Hour
	maxReportedTTL     = 30 * 24 * time.Hour
)

// checkReported checks the settings of the reported rules.
func (s *sharedFlags) checkReported() error {
	switch {
	case s.reportThreshold < 0 || s.reportThreshold > maxReportThreshold:
		return fmt.Errorf("report-threshold: %d is not from 0 (off) to %d", s.reportThreshold, maxReportThreshold)
	case s.reportWindow < minReportWindow || s.reportWindow > maxReportWindow:
		return fmt.Errorf("report-window: %v is not from %v to %v", s.reportWindow, minReportWindow, maxReportWindow)
	case s.reportedTTL < minReportedTTL || s.reportedTTL > maxReportedTTL:
		return fmt.Errorf("reported-ttl: %v is not from %v to %v", s.reportedTTL, minReportedTTL, maxReportedTTL)
	}
	return nil
}

// Bounds of -audit-retention: a day to ten years; of -stats-retention: an
// hour to a year.
const (
	minAuditRetention = 24 * time.Hour
	maxAuditRetention = 10 * 365 * 24 * time.Hour
	minStatsRetention = time.Hour
	maxStatsRetention = 365 * 24 * time.Hour
)

// sharedState is the opened shared state and what serve must run and stop.
type sharedState struct {
	gateway.Shared
	syncer   *rules.Syncer
	queue    *events.Queue
	recorder *series.Recorder
	client   redis.UniversalClient // nil in memory
	// expansions remembers where shortener links go, for every replica.
	expansions expand.Cache
}

// open connects the shared state: Redis when a URL is set, memory
// otherwise. It does not wait for Redis: a replica starts while Redis is
// down and catches up when it returns.
func (s *sharedFlags) open(logger *slog.Logger) (*sharedState, error) {
	if s.eventQueue < 1 {
		return nil, errors.New("event-queue must be at least 1")
	}
	if s.auditRetention < minAuditRetention || s.auditRetention > maxAuditRetention {
		return nil, fmt.Errorf("audit-retention: %v is not from %v to %v", s.auditRetention, minAuditRetention, maxAuditRetention)
	}
	if err := s.checkReported(); err != nil {
		return nil, err
	}
	st := &sharedState{}
	st.ReportedRules = gateway.ReportedRules{Threshold: s.reportThreshold, Window: s.reportWindow, TTL: s.reportedTTL}
	if s.statsRetention < minStatsRetention || s.statsRetention > maxStatsRetention {
		return nil, fmt.Errorf("stats-retention: %v is not from %v to %v", s.statsRetention, minStatsRetention, maxStatsRetention)
	}
	hasher, err := s.hasher(logger)
	if err != nil {
		return nil, err
	}
	limits := []struct {
		name, flag string
		perMinute  int
		limiter    *ratelimit.Limiter
	}{
		{"report", "report-per-minute", s.reportPerMinute, &st.ReportLimit},
		{"api", "api-per-minute", s.apiPerMinute, &st.APILimit},
		{"admin", "admin-per-minute", s.adminPerMinute, &st.AdminLimit},
		{"auth", "auth-failures-per-minute", s.authFailuresPerMinute, &st.AuthFailureLimit},
	}
	for _, l := range limits {
		limit := ratelimit.PerMinute(l.perMinute, l.perMinute)
		if err := limit.Check(); err != nil {
			return nil, fmt.Errorf("%s: %d is not a number of calls a minute from 1 to 1000000", l.flag, l.perMinute)
		}
	}
	var (
		ruleStore rules.Store
		sink      events.Sink
		minutes   series.Store
		newLimit  func(name string, limit ratelimit.Limit) ratelimit.Limiter
	)
	if s.redisURL == "" {
		memRules, memEvents := rules.NewMemoryStore(s.auditRetention), events.NewMemorySink(0)
		ruleStore, sink = memRules, memEvents
		st.EventReader = memEvents
		st.ReportedRules.Counter = reports.NewMemory(s.reportWindow, 0)
		st.Dismissals = dismissals.NewMemory(0)
		minutes = series.NewMemoryStore(s.statsRetention)
		newLimit = func(_ string, limit ratelimit.Limit) ratelimit.Limiter { return ratelimit.NewMemory(limit, 0) }
		st.expansions = expand.NewMemoryCache()
	} else {
		client, err := redisstore.OpenRedis(s.redisURL)
		if err != nil {
			return nil, err
		}
		redis.SetLogger(newRedisLog(logger))
		st.client = client
		st.Ping = func(ctx context.Context) error { return client.Ping(ctx).Err() }
		ruleStore = redisstore.NewRules(client, redisstore.RulesOptions{AuditRetention: s.auditRetention, Logger: logger})
		redisEvents, err := redisstore.NewEvents(client, redisstore.EventsOptions{Shards: s.eventShards})
		if err != nil {
			client.Close()
			return nil, err
		}
		sink, st.EventReader = redisEvents, redisEvents
		st.ReportedRules.Counter = redisstore.NewReports(client, s.reportWindow, "")
		st.Dismissals = redisstore.NewDismissals(client, "", 0)
		minutes = redisstore.NewSeries(client, redisstore.SeriesOptions{Retention: s.statsRetention})
		st.expansions = redisstore.NewExpansions(client, "")
		newLimit = func(name string, limit ratelimit.Limit) ratelimit.Limiter {
			return redisstore.NewLimiter(client, name, limit, redisstore.LimiterOptions{Logger: logger})
		}
	}
	for _, l := range limits {
		*l.limiter = newLimit(l.name, ratelimit.PerMinute(l.perMinute, l.perMinute))
	}
	st.syncer = rules.NewSyncer(ruleStore, rules.SyncerOptions{Resync: s.rulesResync, Logger: logger})
	st.recorder = series.NewRecorder(minutes, series.RecorderOptions{Logger: logger})
	st.queue = events.NewQueue(sink, events.QueueOptions{Capacity: s.eventQueue, Logger: logger, Tally: st.recorder.Tally})
	st.Rules, st.RuleSync, st.Events, st.Hasher = ruleStore, st.syncer, st.queue, hasher
	st.Minutes, st.Recorder = minutes, st.recorder
	return st, nil
}

// close flushes the event queue, then the per-minute counts it left, and
// closes the Redis connection.
func (st *sharedState) close(ctx context.Context) error {
	err := errors.Join(st.queue.Close(ctx), st.recorder.Close(ctx))
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

// namedTokens reads a setting's list of name:token entries.
func namedTokens(setting, list string) (bearer.Tokens, error) {
	tokens, err := bearer.Parse(list)
	if err != nil {
		return bearer.Tokens{}, fmt.Errorf("%s: %w", setting, err)
	}
	return tokens, nil
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
