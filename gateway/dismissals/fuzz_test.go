package dismissals

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// A dismissal that passes its check has its texts trimmed, valid, without
// control characters and within their limits, and passes again unchanged.
func FuzzDismissalCheck(f *testing.F) {
	f.Add("toko.example", "ayu@blibli.example", "toko resmi penjual")
	f.Add(" toko.example ", "ayu", "  ")
	f.Add("toko.example", "", "alasan")
	f.Add("toko.example", "ayu", "baris\nbaru")
	f.Add("toko.example", "ayu", strings.Repeat("é", MaxWhyLength+1))
	f.Add("toko.example", "ayu", "\xff")
	f.Add("toko.example", "ayu", "alasan \u202e")
	f.Fuzz(func(t *testing.T, site, author, why string) {
		d, err := Dismissal{Site: site, Author: author, Why: why, Time: time.Unix(0, 0)}.Check()
		if err != nil {
			var fieldErr *FieldError
			if !errors.As(err, &fieldErr) {
				t.Fatalf("%v is not a field error", err)
			}
			return
		}
		for _, text := range []struct {
			s   string
			max int
		}{{d.Site, maxSiteLength}, {d.Author, MaxAuthorLength}, {d.Why, MaxWhyLength}} {
			if text.s == "" || text.s != strings.TrimSpace(text.s) || !utf8.ValidString(text.s) ||
				utf8.RuneCountInString(text.s) > text.max || strings.ContainsFunc(text.s, invisible) {
				t.Fatalf("%q passed the check", text.s)
			}
		}
		if again, err := d.Check(); err != nil || again != d {
			t.Fatalf("%+v checks again as %+v, %v", d, again, err)
		}
	})
}
