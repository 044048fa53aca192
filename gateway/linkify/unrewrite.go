package linkify

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotRewritten is returned by Unrewrite when the links do not describe
// the text.
var ErrNotRewritten = errors.New("linkify: text does not match its rewritten links")

// Unrewrite is the inverse of Rewrite: given a rewritten text and its links,
// it puts back each link's original text in place of its Href, so that
// Unrewrite(res.Text, res.Links) returns the input of the Rewrite that gave
// res. It fails with ErrNotRewritten when a link's Href is not found at its
// span, or the spans are out of order.
func Unrewrite(text string, links []Rewritten) (string, error) {
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for i, l := range links {
		if l.HrefStart < last || l.HrefEnd > len(text) || l.HrefStart > l.HrefEnd || text[l.HrefStart:l.HrefEnd] != l.Href {
			return "", fmt.Errorf("%w: link %d (%q) is not at bytes %d:%d", ErrNotRewritten, i, l.Href, l.HrefStart, l.HrefEnd)
		}
		b.WriteString(text[last:l.HrefStart])
		b.WriteString(l.Text)
		last = l.HrefEnd
	}
	b.WriteString(text[last:])
	return b.String(), nil
}
