package gateway

import (
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/recent"
	"github.com/blibli/safelink/gateway/verdict"
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
//   - decisions: a link → the policy's verdict, for what decides a link
//     without a query string: the continue form and the rewrite API, whose
//     messages repeat the same few links.
//   - pages: a page's key → its HTML (see verdictPageKey and
//     Page.cacheKey). A hit builds no page data and signs no token.
//
// Two memories live with their owners instead: the threat lists' recent
// answers (package threat), which a list update invalidates, and the
// pseudonyms of recent clients (events.Hasher).
type bundleCaches struct {
	queries   *recent.Map[click.Query]
	decisions *recent.Map[verdict.Verdict]
	pages     *recent.Map[[]byte]
}

func newBundleCaches() bundleCaches {
	return bundleCaches{
		queries:   recent.New[click.Query](cacheEntries, cacheKeyMax),
		decisions: recent.New[verdict.Verdict](cacheEntries, cacheKeyMax),
		pages:     recent.New[[]byte](cacheEntries, cacheKeyMax),
	}
}

// cachedPolicy is a policy whose recent decisions are remembered. The
// decision is a pure function of the link and the policy, and a cached
// verdict is never changed: Verdict.Apply works on a copy.
type cachedPolicy struct {
	policy    *verdict.Policy
	decisions *recent.Map[verdict.Verdict]
}

func (p cachedPolicy) Decide(link string) verdict.Verdict {
	if v, ok := p.decisions.Get(link); ok {
		return v
	}
	v := p.policy.Decide(link)
	p.decisions.Put(link, v)
	return v
}
