package threat

import (
	"compress/gzip"
	"encoding/gob"
	"os"
	"time"
)

// savedListsTime returns when the lists saved in the library's database
// file at path were downloaded, or the zero time when there is no such
// file or it cannot be read. The file is the gzip-compressed gob of the
// library's database: its lists and the time they were downloaded, which
// is all that is decoded here; gob skips the rest.
func savedListsTime(path string) time.Time {
	if path == "" {
		return time.Time{}
	}
	f, err := os.Open(path)
	if err != nil {
		return time.Time{}
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return time.Time{}
	}
	var saved struct{ Time time.Time }
	if gob.NewDecoder(gz).Decode(&saved) != nil {
		return time.Time{}
	}
	return saved.Time
}
