package gateway_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/gateway/verdict"
)

// BenchmarkConsoleOverview renders the overview of a gateway whose every
// minute of the last day and every hour of the last week counted the most
// domains a bucket keeps, against the sign-in page, which reads nothing,
// as the baseline. The overview reads counts, not events: its cost is
// bounded by the buckets and their SitesKept domains, whatever the clicks.
func BenchmarkConsoleOverview(b *testing.B) {
	s := newConsole(b, nil)
	now := time.Now()
	var minutes []series.Bucket
	for m := range 24 * 60 {
		counts := map[series.Key]int64{}
		for _, a := range verdict.Actions {
			counts[series.Key{Count: series.Decisions, Action: a}] = 1000
		}
		for i := range series.SitesKept {
			counts[series.Key{Count: series.Sites, Action: verdict.Warn, Name: fmt.Sprintf("toko-%d.xyz", i)}] = int64(i + 1)
		}
		counts[series.Key{Count: series.Warned, Name: "external"}] = 900
		counts[series.Key{Count: series.Continued, Name: "external"}] = 90
		minutes = append(minutes, series.Bucket{Start: series.StartOf(now.Add(-time.Duration(m)*time.Minute), time.Minute), Counts: counts})
	}
	if err := s.minutes.Add(context.Background(), minutes); err != nil {
		b.Fatal(err)
	}
	session := s.signIn(b)
	for _, target := range []string{"/console/signin", "/console/?period=hour", "/console/?period=day", "/console/?period=week"} {
		b.Run(target, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, target, nil)
				req.AddCookie(session)
				rec := httptest.NewRecorder()
				s.h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", target, rec.Code)
				}
			}
		})
	}
}
