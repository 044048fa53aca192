package gateway

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/threat"
	"github.com/blibli/safelink/gateway/verdict"
)

// ThreatListStats reports the figures of a threat source's lists for
// /metrics; *threat.WebRisk is one.
type ThreatListStats interface {
	ListStats() []threat.ListStats
	HashStats() threat.HashStats
}

// listCollector turns the figures of each source's lists into metrics at
// each scrape, labelled by source and list.
type listCollector struct {
	sources map[verdict.Source]ThreatListStats

	entries, age, updates, resets, checksums, failures *prometheus.Desc
	calls, hits                                        *prometheus.Desc
}

func newListCollector(sources map[verdict.Source]ThreatListStats) *listCollector {
	list := []string{"source", "list"}
	desc := func(name, help string, labels []string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, labels, nil)
	}
	return &listCollector{
		sources:   sources,
		entries:   desc("safelink_threat_list_entries", "Hash prefixes in a threat list.", list),
		age:       desc("safelink_threat_list_age_seconds", "Seconds since a threat list was last updated; -1 before its first update.", list),
		updates:   desc("safelink_threat_list_updates_total", "Successful updates of a threat list, resets included.", list),
		resets:    desc("safelink_threat_list_resets_total", "Updates that replaced a whole threat list.", list),
		checksums: desc("safelink_threat_list_checksum_failures_total", "Updates refused because the list's checksum did not match; the list is fetched whole again.", list),
		failures:  desc("safelink_threat_list_update_failures_total", "Failed updates of a threat list, for any reason.", list),
		calls:     desc("safelink_threat_full_hash_calls_total", "Requests for the full hashes of a listed prefix.", []string{"source"}),
		hits:      desc("safelink_threat_full_hash_cache_hits_total", "Listed prefixes answered from the cache of full hashes.", []string{"source"}),
	}
}

// Describe implements prometheus.Collector.
func (c *listCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.entries, c.age, c.updates, c.resets, c.checksums, c.failures, c.calls, c.hits} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *listCollector) Collect(ch chan<- prometheus.Metric) {
	for source, stats := range c.sources {
		src := string(source)
		for _, l := range stats.ListStats() {
			labels := []string{src, string(l.List)}
			ch <- prometheus.MustNewConstMetric(c.entries, prometheus.GaugeValue, float64(l.Entries), labels...)
			ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, secondsSince(l.Updated), labels...)
			ch <- prometheus.MustNewConstMetric(c.updates, prometheus.CounterValue, float64(l.Updates), labels...)
			ch <- prometheus.MustNewConstMetric(c.resets, prometheus.CounterValue, float64(l.Resets), labels...)
			ch <- prometheus.MustNewConstMetric(c.checksums, prometheus.CounterValue, float64(l.ChecksumFailures), labels...)
			ch <- prometheus.MustNewConstMetric(c.failures, prometheus.CounterValue, float64(l.Failures), labels...)
		}
		h := stats.HashStats()
		ch <- prometheus.MustNewConstMetric(c.calls, prometheus.CounterValue, float64(h.Calls), src)
		ch <- prometheus.MustNewConstMetric(c.hits, prometheus.CounterValue, float64(h.CacheHits), src)
	}
}

// sourceCollector reports the state of each threat source the clicks are
// checked against, whatever its kind: how old its lists are and whether
// they are ready.
type sourceCollector struct {
	clicks     *click.Service
	age, ready *prometheus.Desc
}

func newSourceCollector(clicks *click.Service) *sourceCollector {
	return &sourceCollector{
		clicks: clicks,
		age: prometheus.NewDesc("safelink_threat_source_age_seconds",
			"Seconds since a threat source's lists were last updated; -1 before the first update.", []string{"source"}, nil),
		ready: prometheus.NewDesc("safelink_threat_source_ready",
			"1 while a threat source's lists are ready to check links.", []string{"source"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *sourceCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.age
	ch <- c.ready
}

// Collect implements prometheus.Collector.
func (c *sourceCollector) Collect(ch chan<- prometheus.Metric) {
	for _, t := range c.clicks.Threats {
		st := t.Lists.Status()
		ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, secondsSince(st.Updated), string(t.Source))
		ch <- prometheus.MustNewConstMetric(c.ready, prometheus.GaugeValue, boolGauge(st.State == verdict.ListsReady), string(t.Source))
	}
}
