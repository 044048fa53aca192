package gateway

import (
	"context"
	"maps"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/expand"
	"github.com/blibli/safelink/gateway/verdict"
)

// Bounds of the labels that do not come from a fixed set: a rule's ID
// names one of the rules, which come and go; a response's route and
// status come from the routes and the handlers. Past the bound a new value
// is counted under otherLabel.
const (
	maxRuleLabels     = 1000
	maxResponseLabels = 1000
	otherLabel        = "other"
)

// metrics are the gateway's Prometheus metrics, in a registry of its own.
// Those counted on every click are reached through byLabel.
type metrics struct {
	registry      *prometheus.Registry
	decisions     byLabel[string, prometheus.Counter]
	reasons       byLabel[string, prometheus.Counter]
	threats       byLabel[string, prometheus.Counter]
	signals       byLabel[string, prometheus.Counter]
	duration      byLabel[string, prometheus.Observer]
	responses     byLabel[response, prometheus.Counter]
	ruleHits      byLabel[string, prometheus.Counter]
	expansions    byLabel[string, prometheus.Counter]
	scans         byLabel[string, prometheus.Counter]
	expandCached  prometheus.Counter
	expandHops    prometheus.Histogram
	expandTook    prometheus.Histogram
	ratelimited   *prometheus.CounterVec
	redisErrors   *prometheus.CounterVec
	continues     prometheus.Counter
	reports       prometheus.Counter
	reportedRules prometheus.Counter
	tokenFailures *prometheus.CounterVec
	apiCalls      *prometheus.CounterVec
	authFailures  *prometheus.CounterVec
}

func newMetrics(g *Gateway) *metrics {
	decisions := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "safelink_decisions_total", Help: "Decisions on /go links, by action.",
	}, []string{"action"})
	reasons := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "safelink_decision_reasons_total", Help: "Reasons given by warnings, by reason.",
	}, []string{"reason"})
	threats := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "safelink_threat_lookups_total", Help: "Threat-list lookups, by result: clean, listed or unverified.",
	}, []string{"result"})
	signals := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "safelink_signals_total", Help: "Scam signals found in the messages of the rewrite API, by kind.",
	}, []string{"kind"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "safelink_request_duration_seconds",
		Help:    "Time to answer a request, by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
	}, []string{"route"})
	responses := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "safelink_responses_total", Help: "Responses of both listeners, by route and status code.",
	}, []string{"route", "code"})
	ruleHits := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "safelink_rule_hits_total", Help: "Decisions of /go that a security-team rule made or changed, by rule ID (other past 1000 rules).",
	}, []string{"rule"})
	expansions := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "safelink_expansions_total",
		Help: "Shortener links expanded at a person's click, by outcome: found, too-many-hops, loop, refused, blocked, no-redirect, timeout, failed.",
	}, []string{"outcome"})
	scans := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "safelink_scans_total",
		Help: "/go requests from link-preview bots and scanners, apart from people's clicks, by the pattern of scanners.txt they matched (HEAD for a HEAD request).",
	}, []string{"scanner"})
	m := &metrics{
		registry:  prometheus.NewRegistry(),
		decisions: byLabel[string, prometheus.Counter]{with: oneLabel(decisions.WithLabelValues)},
		reasons:   byLabel[string, prometheus.Counter]{with: oneLabel(reasons.WithLabelValues)},
		threats:   byLabel[string, prometheus.Counter]{with: oneLabel(threats.WithLabelValues)},
		signals:   byLabel[string, prometheus.Counter]{with: oneLabel(signals.WithLabelValues)},
		duration:  byLabel[string, prometheus.Observer]{with: oneLabel(duration.WithLabelValues)},
		responses: byLabel[response, prometheus.Counter]{
			with:  func(r response) prometheus.Counter { return responses.WithLabelValues(r.route, strconv.Itoa(r.code)) },
			limit: maxResponseLabels, other: response{route: otherLabel},
		},
		ruleHits:   byLabel[string, prometheus.Counter]{with: oneLabel(ruleHits.WithLabelValues), limit: maxRuleLabels, other: otherLabel},
		expansions: byLabel[string, prometheus.Counter]{with: oneLabel(expansions.WithLabelValues)},
		scans:      byLabel[string, prometheus.Counter]{with: oneLabel(scans.WithLabelValues)},
		expandCached: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "safelink_expansions_cached_total", Help: "Expansions remembered from an earlier click, of those counted in safelink_expansions_total.",
		}),
		expandHops: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "safelink_expansion_hops", Help: "Redirects followed by the expansions made at clicks (not those remembered).",
			Buckets: []float64{0, 1, 2, 3, 4, 5},
		}),
		expandTook: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "safelink_expansion_duration_seconds", Help: "Time a click spent finding where a shortener link goes, remembered expansions included.",
			Buckets: []float64{.0005, .001, .005, .025, .1, .25, .5, 1, 1.5, 2.5},
		}),
		ratelimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safelink_rate_limited_total", Help: "Requests refused with 429, by limit.",
		}, []string{"limit"}),
		redisErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safelink_redis_errors_total", Help: "Failed calls to the shared state, by part.",
		}, []string{"part"}),
		continues: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "safelink_continues_total", Help: "Warnings clicked through.",
		}),
		reports: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "safelink_reports_total", Help: "Links reported by users.",
		}),
		reportedRules: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "safelink_reported_rules_total", Help: "Reported rules added because enough distinct clients reported a site.",
		}),
		tokenFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safelink_token_failures_total", Help: "Forms refused for a bad, expired or cross-site token, by form.",
		}, []string{"form"}),
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safelink_api_calls_total", Help: "Authenticated calls of the rewrite (api) and admin APIs, by API and caller: the name of the token.",
		}, []string{"api", "caller"}),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safelink_api_auth_failures_total", Help: "API calls refused for a missing or unknown token, by API.",
		}, []string{"api"}),
	}
	m.registry.MustRegister(decisions, reasons, threats, signals, duration, responses, ruleHits, expansions, scans,
		m.expandCached, m.expandHops, m.expandTook, m.ratelimited, m.redisErrors,
		m.continues, m.reports, m.reportedRules, m.tokenFailures, m.apiCalls, m.authFailures, buildInfo(),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.registry.MustRegister(g.stateCollectors()...)
	if len(g.cfg.ListStats) > 0 {
		m.registry.MustRegister(newListCollector(g.cfg.ListStats))
	}
	if g.clicks != nil && len(g.clicks.Threats) > 0 {
		m.registry.MustRegister(newSourceCollector(g.clicks))
	}
	return m
}

// response is what safelink_responses_total counts a response by.
type response struct {
	route string
	code  int
}

// buildInfo is safelink_build_info: 1, labelled with the module version,
// the commit the binary was built from, and the Go version.
func buildInfo() prometheus.Collector {
	version, revision := "(devel)", "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				revision = s.Value
			}
		}
	}
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "safelink_build_info", Help: "1, labelled with the version and commit of the binary and the Go version that built it.",
		ConstLabels: prometheus.Labels{"version": version, "revision": revision, "goversion": runtime.Version()},
	}, func() float64 { return 1 })
}

// oneLabel turns the WithLabelValues of a vector with one label into a
// function of that label.
func oneLabel[M any](with func(values ...string) M) func(string) M {
	return func(value string) M { return with(value) }
}

// observeDecision counts a decision and its reasons.
func (m *metrics) observeDecision(v *verdict.Verdict) {
	m.decisions.get(string(v.Action)).Inc()
	for _, r := range v.Reasons {
		m.reasons.get(string(r)).Inc()
	}
}

// observeSignals counts the signals of a rewritten message.
func (m *metrics) observeSignals(signals []click.Signal) {
	for _, s := range signals {
		m.signals.get(string(s.Kind)).Inc()
	}
}

// observeExpansion counts an expansion, its hops when it was walked, and
// the time the click spent on it.
func (m *metrics) observeExpansion(e expand.Expansion) {
	m.expansions.get(string(e.Outcome)).Inc()
	if e.Cached {
		m.expandCached.Inc()
	} else {
		m.expandHops.Observe(float64(e.Hops()))
	}
	m.expandTook.Observe(e.Took.Seconds())
}

// byLabel keeps the metrics of a vector by their labels' values, so that a
// click reads a plain map instead of hashing its labels under the vector's
// lock. The labels come from small sets (the actions, reasons, signal
// kinds, lookup and expansion outcomes, routes and status codes, the
// rules, the patterns of the scanner file, at most scanners.MaxPatterns a
// load), so the map is copied to add one; with a limit, the values past it
// share the metric of other.
type byLabel[K comparable, M any] struct {
	with     func(K) M // the vector's WithLabelValues
	limit    int       // values kept at most, other aside; none when 0
	other    K
	mu       sync.Mutex // held to add a value
	children atomic.Pointer[map[K]M]
}

func (b *byLabel[K, M]) get(value K) M {
	if children := b.children.Load(); children != nil {
		if m, ok := (*children)[value]; ok {
			return m
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	children := map[K]M{}
	if old := b.children.Load(); old != nil {
		if m, ok := (*old)[value]; ok {
			return m
		}
		children = *old
	}
	if b.limit > 0 && len(children) >= b.limit {
		if m, ok := children[b.other]; ok {
			return m
		}
		value = b.other
	}
	grown := map[K]M{value: b.with(value)}
	maps.Copy(grown, children)
	b.children.Store(&grown)
	return grown[value]
}

// stateCollectors report the state of the parts the gateway holds: rules,
// event queue, reloads.
func (g *Gateway) stateCollectors() []prometheus.Collector {
	cs := []prometheus.Collector{
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "safelink_reloads_total", Help: "Successful reloads of templates, static files and allowlist."},
			func() float64 { return float64(g.ReloadStats().Succeeded) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "safelink_reload_failures_total", Help: "Reloads refused, the last good set kept."},
			func() float64 { return float64(g.ReloadStats().Failed) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safelink_reload_failing", Help: "1 while the last reload failed."},
			func() float64 { return boolGauge(g.ReloadStats().LastError != "") }),
	}
	if sync := g.cfg.Shared.RuleSync; sync != nil {
		cs = append(cs,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safelink_rules", Help: "Emergency rules held in memory."},
				func() float64 { return float64(sync.State().Rules) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safelink_rules_sync_age_seconds", Help: "Seconds since the rules were last loaded in full."},
				func() float64 { return secondsSince(sync.State().LastSync) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safelink_rules_sync_failing", Help: "1 while the rules cannot be synced."},
				func() float64 { return boolGauge(sync.State().LastError != nil) }),
		)
	}
	if ping := g.cfg.Shared.Ping; ping != nil {
		cs = append(cs, prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safelink_redis_up", Help: "1 when Redis answered a PING within a second at this scrape."},
			func() float64 {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				defer cancel()
				return boolGauge(ping(ctx) == nil)
			}))
	}
	if r := g.cfg.Shared.Recorder; r != nil {
		cs = append(cs,
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "safelink_stats_writes_total", Help: "Writes of the per-minute counts to their store."},
				func() float64 { return float64(r.Stats().Writes) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "safelink_stats_write_failures_total", Help: "Failed writes of the per-minute counts; their counts wait for the next."},
				func() float64 { return float64(r.Stats().Failures) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "safelink_stats_dropped_minutes_total", Help: "Minutes of counts given up while their store failed."},
				func() float64 { return float64(r.Stats().Dropped) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safelink_stats_pending_minutes", Help: "Minutes of counts waiting to be written."},
				func() float64 { return float64(r.Stats().Pending) }),
		)
	}
	if q := g.cfg.Shared.Events; q != nil {
		cs = append(cs,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safelink_event_lag_seconds", Help: "Age of the oldest event waiting to be written; 0 when none waits."},
				func() float64 { return eventLag(q.Stats().Oldest) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "safelink_event_writes_total", Help: "Writes of event batches to the store, failed ones included."},
				func() float64 { return float64(q.Stats().Writes) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "safelink_event_write_seconds_total", Help: "Time the writes of event batches took together; over safelink_event_writes_total, the mean write latency."},
				func() float64 { return q.Stats().WriteSeconds }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "safelink_event_queue_depth", Help: "Events waiting to be written."},
				func() float64 { return float64(q.Stats().Queued) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "safelink_events_dropped_total", Help: "Events dropped: queue full or closed."},
				func() float64 { return float64(q.Stats().Dropped) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "safelink_events_failed_total", Help: "Events given up after the store failed every retry."},
				func() float64 { return float64(q.Stats().Failed) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "safelink_events_written_total", Help: "Events written to the store."},
				func() float64 { return float64(q.Stats().Written) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "safelink_event_write_errors_total", Help: "Failed writes of event batches, retries included."},
				func() float64 { return float64(q.Stats().WriteErrors) }),
		)
	}
	return cs
}

// eventLag is the age of the oldest waiting event, queued at oldest; 0
// when none waits.
func eventLag(oldest time.Time) float64 {
	if oldest.IsZero() {
		return 0
	}
	return max(time.Since(oldest).Seconds(), 0)
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func secondsSince(t time.Time) float64 {
	if t.IsZero() {
		return -1
	}
	return time.Since(t).Seconds()
}

// handleMetrics serves the metrics in the Prometheus text format.
func (g *Gateway) handleMetrics() echo.HandlerFunc {
	h := promhttp.HandlerFor(g.metrics.registry, promhttp.HandlerOpts{})
	return func(c echo.Context) error {
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}
