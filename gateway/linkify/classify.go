package linkify

import "strings"

// fileExtensionTLDs are top-level domains that are also common file
// extensions. A scheme-less name ending in one of them, without a path or a
// leading "www.", is read as a file name: "arsip.zip", "video.mov".
var fileExtensionTLDs = map[string]bool{
	"zip": true, "mov": true, "py": true, "sh": true, "md": true, "java": true, "mobi": true,
}

// classify decides whether the xurls candidate c, preceded in its text by
// before, is a web link, and returns its absolute URL.
func classify(c, before string) (string, bool) {
	if n := webSchemeLen(c); n > 0 {
		// Trimming may have left the scheme alone: "https://🔥".
		return c, len(c) > n
	}
	hostEnd := strings.IndexAny(c, ":/")
	if hostEnd < 0 {
		hostEnd = len(c)
	}
	host := c[:hostEnd]
	switch {
	case strings.HasPrefix(c[hostEnd:], "://"):
		// Any scheme other than http and https.
		return "", false
	case strings.HasSuffix(before, "://"):
		// The host of a URL whose scheme xurls does not know ("intent://x.com"):
		// the reader sees that URL, which is not a web link.
		return "", false
	case !strings.Contains(host, "."):
		// A scheme without "//" ("mailto:", "tel:") or a bare IPv6 address.
		return "", false
	case strings.Contains(host, "@"):
		// An e-mail address.
		return "", false
	case isDottedNumber(host):
		// A bare IPv4 address, or as often a version number: 1.2.3.4.
		return "", false
	case hostEnd == len(c) && isFileName(host):
		return "", false
	}
	return "https://" + c, true
}

// webSchemeLen returns the length of the "http://" or "https://" that c
// starts with, in any letter case, or 0.
func webSchemeLen(c string) int {
	switch {
	case hasPrefixFold(c, "http://"):
		return len("http://")
	case hasPrefixFold(c, "https://"):
		return len("https://")
	}
	return 0
}

// hasPrefixFold is strings.HasPrefix ignoring letter case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isDottedNumber reports whether host is made of ASCII digits and dots only.
func isDottedNumber(host string) bool {
	for i := 0; i < len(host); i++ {
		if (host[i] < '0' || host[i] > '9') && host[i] != '.' {
			return false
		}
	}
	return true
}

// isFileName reports whether the scheme-less host name reads as a file name:
// its top-level domain is a common file extension and it does not start with
// "www.".
func isFileName(host string) bool {
	if hasPrefixFold(host, "www.") {
		return false
	}
	tld := host[strings.LastIndexByte(host, '.')+1:]
	return fileExtensionTLDs[strings.ToLower(tld)]
}
