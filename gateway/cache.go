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
//   - pages: a page's key → its HTML (see verdictPageKey and
//     Page.cacheKey). A hit builds no page data and signs no token.
//   - destinations: the destination a shortener link was expanded to →
//     the policy's verdict on it, so that a click on a hot short link,
//     its expansion remembered, decides nothing again but the facts of
//     the click (a sixth of that click's time).
//
// A link decided without a query string (the continue form, the rewrite
// API) is decided afresh: a cache of the policy's decisions by link saved
// the rewrite API no measurable time in the load benchmark (see
// docs/performance.md). Two memories live with their owners instead: the threat lists' recent
// answers (package threat), which a list update invalidates, and the
// pseudonyms of recent clients (events.Hasher).
type bundleCaches struct {
	queries      *recent.Map[click.Query]
	pages        *recent.Map[[]byte]
	destinations *rememberedDecisions
}

func newBundleCaches(policy *verdict.Policy) bundleCaches {
	return bundleCaches{
		queries:      recent.New[click.Query](cacheEntries, cacheKeyMax),
		pages:        recent.New[[]byte](cacheEntries, cacheKeyMax),
		destinations: &rememberedDecisions{policy: policy, verdicts: recent.New[verdict.Verdict](cacheEntries, cacheKeyMax)},
	}
}

// rememberedDecisions is a click.Decider that remembers the policy's
// recent verdicts by link.
type rememberedDecisions struct {
	policy   *verdict.Policy
	verdicts *recent.Map[verdict.Verdict]
}

// Decide implements click.Decider.
func (r *rememberedDecisions) Decide(link string) verdict.Verdict {
	v, ok := r.verdicts.Get(link)
	if !ok {
		v = r.policy.Decide(link)
		r.verdicts.Put(link, v)
	}
	return v
}
