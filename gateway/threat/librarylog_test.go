package threat

import (
	"bytes"
	"log"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestLibraryMessage(t *testing.T) {
	tests := []struct{ line, want string }{
		{"safebrowsing: 2019/06/24 21:18:11 database.go:412: database is now healthy\n", "database is now healthy"},
		{"safebrowsing: 2019/06/24 21:18:11 safebrowser.go:560: Next update in 30m0s\n", "Next update in 30m0s"},
		{"something else entirely\n", "something else entirely"},
		{"safebrowsing: 2019/06/24 21:18:11 no-position here\n", "safebrowsing: 2019/06/24 21:18:11 no-position here"},
	}
	for _, tt := range tests {
		if got := libraryMessage(tt.line); got != tt.want {
			t.Errorf("libraryMessage(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

// TestLibraryLogRecordsUpdates writes through a log.Logger set up as the
// library sets up its own, so that the line shape is the library's.
func TestLibraryLogRecordsUpdates(t *testing.T) {
	var out bytes.Buffer
	l := &libraryLog{logger: slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	libLog := log.New(l, "safebrowsing: ", log.Ldate|log.Ltime|log.Lshortfile)

	libLog.Printf("Next update in %v", time.Minute)
	if !l.lastUpdate().IsZero() {
		t.Errorf("lastUpdate = %v after an unrelated line, want zero", l.lastUpdate())
	}
	libLog.Printf("ListUpdate failure (1): connection refused")
	before := time.Now()
	libLog.Printf("background threat list updated")
	if got := l.lastUpdate(); got.Before(before) {
		t.Errorf("lastUpdate = %v, want at or after %v", got, before)
	}

	for _, want := range []string{
		`level=DEBUG msg="Next update in 1m0s" component=safebrowsing`,
		`level=WARN msg="ListUpdate failure (1): connection refused"`,
		`level=INFO msg="background threat list updated"`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, out.String())
		}
	}
}
