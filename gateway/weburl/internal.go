package weburl

import (
	"net/netip"
	"strings"
)

// nonPublic lists address ranges that are not reachable on the public
// internet beyond what netip.Addr's own predicates cover.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved and broadcast
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
	netip.MustParsePrefix("100::/64"),        // discard
	netip.MustParsePrefix("2001::/23"),       // IETF protocol assignments, Teredo
	netip.MustParsePrefix("::/96"),           // deprecated IPv4-compatible
	netip.MustParsePrefix("::ffff:0:0:0/96"), // IPv4-translated
}

// Prefixes whose addresses embed an IPv4 address in the low 32 bits.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	nat64Loc  = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// internalSuffixes are names that resolve only inside a network or host.
var internalSuffixes = []string{
	"localhost", "local", "internal", "intranet", "lan", "home", "corp",
	"private", "localdomain", "home.arpa", "arpa",
}

// Internal reports whether u points at the gateway's own machine or network:
// a loopback, private, link-local, multicast or reserved address, a
// single-label name, or a name under a suffix reserved for local networks.
// Such a link is never a place to send a chat user.
func (u *URL) Internal() bool {
	if u.IP.IsValid() {
		return internalAddr(u.IP)
	}
	if !strings.Contains(u.Host, ".") {
		return true
	}
	for _, s := range internalSuffixes {
		if isDomainOrSub(u.Host, s) {
			return true
		}
	}
	return false
}

func internalAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.Is6() && (nat64.Contains(ip) || nat64Loc.Contains(ip) || sixToFour.Contains(ip)) {
		return internalAddr(embeddedIPv4(ip))
	}
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsMulticast() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// embeddedIPv4 returns the IPv4 address carried by a NAT64 or 6to4 address.
func embeddedIPv4(ip netip.Addr) netip.Addr {
	b := ip.As16()
	if sixToFour.Contains(ip) {
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
	}
	return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
}

// isDomainOrSub reports whether host is domain or one of its subdomains.
func isDomainOrSub(host, domain string) bool {
	n := len(host) - len(domain)
	return strings.HasSuffix(host, domain) && (n == 0 || n > 0 && host[n-1] == '.')
}
