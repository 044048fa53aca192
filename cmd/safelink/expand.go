package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"time"

	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/expand"
)

// expandFlags are the settings of shortener expansion at the click.
type expandFlags struct {
	on      bool
	timeout time.Duration
	proxy   string
}

func (x *expandFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&x.on, "expand", true, "at a person's click on a shortener link, follow the shortener's redirects to decide on the destination (at most 5, only to public addresses on ports 80 and 443)")
	fs.DurationVar(&x.timeout, "expand-timeout", expand.DefaultTimeout, "time budget of one expansion, every redirect together; past it the shortener warning says the destination could not be checked")
	fs.StringVar(&x.proxy, "expand-proxy", "", "forward proxy (http://host:port) every expansion request goes through, for deployments whose egress goes through one; empty connects directly, to public addresses only")
}

// expander returns the Expander of the settings, sharing what it finds
// through cache; nil when expansion is off.
func (x *expandFlags) expander(cache expand.Cache) (click.Expander, error) {
	if !x.on {
		return nil, nil
	}
	if x.timeout <= 0 || x.timeout > 10*time.Second {
		return nil, fmt.Errorf("expand-timeout: %v is not from 1ms to 10s", x.timeout)
	}
	o := expand.Options{Timeout: x.timeout, Cache: cache}
	if x.proxy != "" {
		u, err := url.Parse(x.proxy)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" && u.Path != "/" || u.RawQuery != "" {
			return nil, errors.New("expand-proxy: not a proxy URL such as http://proxy.internal:3128")
		}
		o.Proxy = u
	}
	return expand.New(o), nil
}

// mode names how expansions reach the shorteners, for the start-up log.
func (x *expandFlags) mode() string {
	switch {
	case !x.on:
		return "off"
	case x.proxy != "":
		return "proxy"
	}
	return "direct"
}

// secrets returns the proxy's password, if its URL has one.
func (x *expandFlags) secrets() []string {
	u, err := url.Parse(x.proxy)
	if err != nil || u.User == nil {
		return nil
	}
	password, _ := u.User.Password()
	return []string{password}
}
