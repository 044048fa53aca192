package threat

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/blibli/safelink/gateway/redact"
)

// The library reports the outcome of a list update only in its text log.
// These are the messages it writes when lists were loaded or refreshed.
var updateMessages = []string{
	"database is now healthy",        // first load, or recovery after a failure
	"background threat list updated", // every successful periodic refresh
}

// refusedFilePrefixes start the messages with which the library refuses
// the lists of its database file and downloads them instead.
var refusedFilePrefixes = []string{
	"load failure",
	"database loaded is stale",
	"database configuration mismatch",
}

// warningPrefixes start the library messages that an operator should see:
// failed list updates and a database that could not be saved.
var warningPrefixes = []string{
	"ListUpdate failure",
	"update failure",
	"invalid server response",
	"save failure",
}

// libraryLog receives the library's text log, forwards each line to slog and
// records when the lists were last updated.
type libraryLog struct {
	logger *slog.Logger
	key    *redact.Secrets // taken out of every line

	mu      sync.Mutex
	updated time.Time
	saved   time.Time // download time of the database file's lists, until the library loads or refuses them
}

// expectSaved tells the log that a new client is starting with a database
// file whose lists were downloaded at saved (zero: no file). If the
// library loads them, they are as old as that, not as the load.
func (l *libraryLog) expectSaved(saved time.Time) {
	l.mu.Lock()
	l.saved = saved
	l.mu.Unlock()
}

// Write handles one line of the library's log.
func (l *libraryLog) Write(p []byte) (int, error) {
	msg := l.key.String(libraryMessage(string(p)))
	level := slog.LevelDebug
	for _, prefix := range warningPrefixes {
		if strings.HasPrefix(msg, prefix) {
			level = slog.LevelWarn
		}
	}
	l.mu.Lock()
	for _, prefix := range refusedFilePrefixes {
		if strings.HasPrefix(msg, prefix) {
			l.saved = time.Time{}
		}
	}
	for _, update := range updateMessages {
		if msg == update {
			l.updated = time.Now()
			if !l.saved.IsZero() {
				l.updated, l.saved = l.saved, time.Time{}
			}
			level = slog.LevelInfo
		}
	}
	l.mu.Unlock()
	l.logger.Log(context.Background(), level, msg, "component", "safebrowsing")
	return len(p), nil
}

// lastUpdate returns when the library last reported loaded or refreshed
// lists, or the zero time if it never did.
func (l *libraryLog) lastUpdate() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.updated
}

// libraryMessage strips the prefix, date, time and source position from a
// line of the library's log, such as
// "safebrowsing: 2019/06/24 21:18:11 database.go:412: database is now healthy".
// A line of another shape is returned whole, without surrounding space.
func libraryMessage(line string) string {
	line = strings.TrimSpace(line)
	fields := strings.SplitN(strings.TrimPrefix(line, "safebrowsing: "), " ", 4)
	if len(fields) != 4 || !strings.HasSuffix(fields[2], ":") {
		return line
	}
	return fields[3]
}
