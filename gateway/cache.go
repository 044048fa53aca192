package gateway

import (
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/recent"
)

// Bounds of each cache of a loaded bundle.
const (
	cacheEntries = 512
	cacheKeyMax  = 4 << 10 // longer keys (very long URLs) are not cached
)

// bundleCaches are the gateway's memories of recent work, so that a link
// many people tap in the same minute (a hot campaign link) is worked out
// once. They belong to one loaded bundle, since every answer depends on its
// policy or templates: a reload starts with empty caches. Each keeps at
// most cacheEntries answers, under keys of at most cacheKeyMax bytes.
//
//   - queries: a /go query string → what it decides before the facts of
//     the click (click.Query: the policy's verdict and the signature).
//     Rules and threat lists still apply on every click.
//   - pages: a page's key → its HTML (see verdictPageKey and
//     Page.cacheKey). A hit builds no page data and signs no token.
//
// A link decided without a query string (the continue form, the rewrite
// API) is decided afresh: a cache of the policy's decisions by link saved
// the rewrite API no measurable time in the load benchmark (see
// docs/performance.md). Two memories live with their owners instead: the threat lists' recent
// answers (package threat), which a list update invalidates, and the
// pseudonyms of recent clients (events.Hasher).
type bundleCaches struct {
	queries *recent.Map[click.Query]
	pages   *recent.Map[[]byte]
}

func newBundleCaches() bundleCaches {
	return bundleCaches{
		queries: recent.New[click.Query](cacheEntries, cacheKeyMax),
		pages:   recent.New[[]byte](cacheEntries, cacheKeyMax),
	}
}
