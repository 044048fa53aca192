package gateway

import (
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/blibli/safelink/gateway/expand"
	"github.com/blibli/safelink/gateway/verdict"
)

// metrics are the gateway's Prometheus metrics, in a registry of its own.
// Those counted on every click are reached through byLabel.
type metrics struct {
	registry      *prometheus.Registry
	decisions     byLabel[prometheus.Counter]
	reasons       byLabel[prometheus.Counter]
	threats       byLabel[prometheus.Counter]
	duration      byLabel[prometheus.Observer]
	expansions    byLabel[prometheus.Counter]
	scans         byLabel[prometheus.Counter]
	expandCached  prometheus.Counter
	expandHops    prometheus.Histogram
	expandTook    prometheus.Histogram
	ratelimited   *prometheus.CounterVec
	redisErrors   *prometheus.CounterVec
	continues     prometheus.Counter
	reports       prometheus.Counter
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
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "safelink_request_duration_seconds",
		Help:    "Time to answer a request, by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
	}, []string{"route"})
	expansions := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "safelink_expansions_total",
		Help: "Shortener links expanded at a person's click, by outcome: found, too-many-hops, loop, refused, blocked, no-redirect, timeout, failed.",
	}, []string{"outcome"})
	scans := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "safelink_scans_total",
		Help: "/go requests from link-preview bots and scanners, apart from people's clicks, by the pattern of scanners.txt they matched (HEAD for a HEAD request).",
	}, []string{"scanner"})
	m := &metrics{
		registry:   prometheus.NewRegistry(),
		decisions:  byLabel[prometheus.Counter]{with: decisions.WithLabelValues},
		reasons:    byLabel[prometheus.Counter]{with: reasons.WithLabelValues},
		threats:    byLabel[prometheus.Counter]{with: threats.WithLabelValues},
		duration:   byLabel[prometheus.Observer]{with: duration.WithLabelValues},
		expansions: byLabel[prometheus.Counter]{with: expansions.WithLabelValues},
		scans:      byLabel[prometheus.Counter]{with: scans.WithLabelValues},
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
	m.registry.MustRegister(decisions, reasons, threats, duration, expansions, scans, m.expandCached, m.expandHops, m.expandTook, m.ratelimited, m.redisErrors,
		m.continues, m.reports, m.tokenFailures, m.apiCalls, m.authFailures,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.registry.MustRegister(g.stateCollectors()...)
	if len(g.cfg.ListStats) > 0 {
		m.registry.MustRegister(newListCollector(g.cfg.ListStats))
	}
	return m
}

// observeDecision counts a decision and its reasons.
func (m *metrics) observeDecision(v *verdict.Verdict) {
	m.decisions.get(string(v.Action)).Inc()
	for _, r := range v.Reasons {
		m.reasons.get(string(r)).Inc()
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

// byLabel keeps the metrics of a vector with one label by the label's
// value, so that a click reads a plain map instead of hashing its labels
// under the vector's lock. Every label it is given comes from a fixed set
// (the actions, reasons, lookup and expansion outcomes, routes, and the
// patterns of the scanner file, at most scanners.MaxPatterns a load), so
// the map is copied to add one.
type byLabel[M any] struct {
	with     func(values ...string) M // the vector's WithLabelValues
	mu       sync.Mutex               // held to add a label
	children atomic.Pointer[map[string]M]
}

func (b *byLabel[M]) get(value string) M {
	if children := b.children.Load(); children != nil {
		if m, ok := (*children)[value]; ok {
			return m
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	grown := map[string]M{value: b.with(value)}
	if children := b.children.Load(); children != nil {
		maps.Copy(grown, *children)
	}
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
	if q := g.cfg.Shared.Events; q != nil {
		cs = append(cs,
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
