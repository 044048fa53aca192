// Package threat checks URLs against threat lists.
//
// SafeBrowsing is a checker backed by the Google Safe Browsing Update API
// (v4): it keeps a local database of 4-byte hash prefixes in sync with the
// server and asks the server for full hashes only when a URL's prefix is on a
// list. A lookup answers within the caller's time budget or fails with an
// error the caller can tell apart with errors.Is: ErrNotReady, ErrStale, or a
// timeout. A caller that gets any error treats the URL as not verified.
package threat
