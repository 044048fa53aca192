package threat_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/threat"
	"github.com/blibli/safelink/gateway/verdict"
)

// lookuper is what the benchmark asks of a checker.
type lookuper interface {
	Lookup(ctx context.Context, url string) ([]verdict.Threat, error)
}

// benchSources open each checker against its fake server, with lists of
// the given number of random prefixes, without the lookup cache (each
// lookup hashes the URL's expressions and searches the lists, as for a
// link nobody tapped a minute ago), and return it once its lists are
// loaded.
var benchSources = []struct {
	name string
	open func(b *testing.B, prefixes int) lookuper
}{
	{"safebrowsing", func(b *testing.B, prefixes int) lookuper {
		c := newChecker(b, startFake(b, listed, prefixes), threat.Config{CacheSize: -1})
		waitFor(b, c, verdict.ListsReady, 2*time.Minute)
		return c
	}},
	{"webrisk", func(b *testing.B, prefixes int) lookuper {
		w := newWebRiskWith(b, startFakeWebRiskWith(b, prefixes, webRiskEntries...), nil, "", -1)
		waitWebRisk(b, w, verdict.ListsReady)
		return w
	}},
}

// BenchmarkLookup measures lookups of each source against lists of real
// size, with lists of no random prefixes as the baseline of the same run.
// Besides the time per lookup it reports the time to load the lists, the
// heap they hold, and the process's resident memory, now and at its peak.
//
//	go test -run '^$' -bench Lookup -benchmem ./gateway/threat
func BenchmarkLookup(b *testing.B) {
	for _, src := range benchSources {
		for _, prefixes := range []int{0, 100_000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/prefixes=%d", src.name, prefixes), func(b *testing.B) {
				heapBefore := heapInUse()
				start := time.Now()
				c := src.open(b, prefixes)
				load := time.Since(start)
				heap := heapInUse() - heapBefore
				rss, peak, err := residentMemory()
				if err != nil {
					b.Logf("resident memory not reported: %v", err)
				}
				report := func(b *testing.B) {
					b.ReportMetric(load.Seconds(), "load-s")
					b.ReportMetric(float64(heap)/(1<<20), "lists-heap-MiB")
					if err == nil {
						b.ReportMetric(float64(rss)/(1<<20), "rss-MiB")
						b.ReportMetric(float64(peak)/(1<<20), "peak-rss-MiB")
					}
				}

				b.Run("clean", func(b *testing.B) {
					urls := make([]string, 4096)
					for i := range urls {
						urls[i] = fmt.Sprintf("https://shop%d.example/item/%d?ref=chat", i, i)
					}
					b.ReportAllocs()
					i := 0
					for b.Loop() {
						if _, err := c.Lookup(context.Background(), urls[i%len(urls)]); err != nil {
							b.Fatal(err)
						}
						i++
					}
					report(b)
				})
				b.Run("listed", func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						types, err := c.Lookup(context.Background(), "https://phishing.example/login")
						if err != nil || len(types) != 1 {
							b.Fatalf("Lookup = %v, %v; want social-engineering", types, err)
						}
					}
					report(b)
				})
			})
		}
	}
}

// heapInUse returns the bytes of live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// residentMemory returns the process's resident memory after returning
// freed memory to the system, and its peak resident memory, as Linux
// reports them in /proc/self/status.
func residentMemory() (rss, peak int64, err error) {
	debug.FreeOSMemory()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		name, value, _ := strings.Cut(scanner.Text(), ":")
		var dst *int64
		switch name {
		case "VmRSS":
			dst = &rss
		case "VmHWM":
			dst = &peak
		default:
			continue
		}
		kB, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/self/status %s: %w", name, err)
		}
		*dst = kB << 10
	}
	if err := scanner.Err(); err != nil {
		return 0, 0, err
	}
	if rss == 0 || peak == 0 {
		return 0, 0, fmt.Errorf("/proc/self/status lacks VmRSS or VmHWM")
	}
	return rss, peak, nil
}
