package expand

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/blibli/safelink/gateway/weburl"
)

// ErrRefused wraps every reason NextHop refuses a Location.
var ErrRefused = errors.New("location refused")

// NextHop resolves the Location header of a redirect from base and checks
// it before anything is fetched from it: an http or https URL on the
// scheme's default port (80 or 443), with a public domain name as host.
// It refuses a Location that does not parse, carries credentials
// (userinfo), names an IP address in any notation, an internal name
// (localhost, a single label, .internal, .local …), or another port. The
// error wraps ErrRefused.
func NextHop(base *weburl.URL, location string) (*weburl.URL, error) {
	if location == "" {
		return nil, fmt.Errorf("%w: empty Location", ErrRefused)
	}
	ref, err := url.Parse(location)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRefused, err)
	}
	baseURL, err := url.Parse(base.String())
	if err != nil {
		return nil, fmt.Errorf("%w: base: %v", ErrRefused, err)
	}
	next, err := weburl.Parse(baseURL.ResolveReference(ref).String())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRefused, err)
	}
	switch {
	case next.User != "":
		return nil, fmt.Errorf("%w: credentials in the Location", ErrRefused)
	case next.IP.IsValid():
		return nil, fmt.Errorf("%w: an IP address instead of a name", ErrRefused)
	case next.Internal():
		return nil, fmt.Errorf("%w: an internal name", ErrRefused)
	case next.Port != "":
		return nil, fmt.Errorf("%w: port %s is not the scheme's default", ErrRefused, next.Port)
	}
	return next, nil
}
