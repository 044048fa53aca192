package main

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway"
)

// clientIP returns how the gateway finds a client's address: the peer
// address, or the address a proxy put in -client-ip-header when the peer
// is one of -trusted-proxies. Nothing else is trusted: echo trusts
// loopback, link-local and private addresses unless told not to.
func (s *sharedFlags) clientIP() (echo.IPExtractor, error) {
	proxies, err := parseProxies("trusted-proxies", s.trustedProxies)
	if err != nil {
		return nil, err
	}
	header := strings.ToLower(s.clientIPHeader)
	switch {
	case header == "" && len(proxies) > 0:
		return nil, errors.New("trusted-proxies: set client-ip-header too, the header the proxies put the client address in")
	case header == "":
		return echo.ExtractIPDirect(), nil
	case len(proxies) == 0:
		return nil, fmt.Errorf("client-ip-header %s: set trusted-proxies to the addresses of the proxies that set it; no address is trusted by default", s.clientIPHeader)
	}
	trust := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		_, ipNet, _ := net.ParseCIDR(p.String()) // a valid prefix, written as one
		trust = append(trust, echo.TrustIPRange(ipNet))
	}
	switch header {
	case "x-forwarded-for":
		return echo.ExtractIPFromXFFHeader(trust...), nil
	case "x-real-ip":
		return echo.ExtractIPFromRealIPHeader(trust...), nil
	}
	return nil, fmt.Errorf("client-ip-header: %q is neither X-Forwarded-For nor X-Real-IP", s.clientIPHeader)
}

// parseProxies reads a comma-separated list of addresses and CIDRs, the
// value of setting; an address stands for itself alone. It refuses a range
// that holds every address, with which any client could name its own
// address.
func parseProxies(setting, list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, entry := range strings.Split(list, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		p, err := netip.ParsePrefix(entry)
		if addr, addrErr := netip.ParseAddr(entry); addrErr == nil {
			p, err = addr.Prefix(addr.BitLen())
		}
		switch {
		case err != nil || p.Addr().Zone() != "":
			return nil, fmt.Errorf("%s: %q is not an address or a CIDR such as 10.0.0.0/8", setting, entry)
		case p.Bits() == 0:
			return nil, fmt.Errorf("%s: %q holds every address, so any client could set its own", setting, entry)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// console configures the security team's console: its embedded files, and
// the authenticating proxies trusted to name the person signed in.
func (s *sharedFlags) console() (gateway.Console, error) {
	proxies, err := parseProxies("console-trusted-proxies", s.consoleTrustedProxies)
	if err != nil {
		return gateway.Console{}, err
	}
	return gateway.Console{Files: safelink.Console(), TrustedProxies: proxies}, nil
}
