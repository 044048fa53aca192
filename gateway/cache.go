package gateway

import (
	"github.com/blibli/safelink/gateway/recent"
	"github.com/blibli/safelink/gateway/verdict"
)

// Bounds of the caches of a loaded bundle.
const (
	cacheEntries = 512
	cacheKeyMax  = 4 << 10 // longer keys (very long URLs) are not cached
)

// newBundleCache returns a cache of recent answers by key, so that a link
// many people tap in the same minute (a hot campaign link) is worked out
// once. It belongs to one loaded bundle: a reload starts with empty caches.
func newBundleCache[V any]() *recent.Map[V] {
	return recent.New[V](cacheEntries, cacheKeyMax)
}

// Decider decides on a link from the link alone; *verdict.Policy is one.
type Decider interface {
	Decide(link string) verdict.Verdict
}

// cachedPolicy remembers the policy's recent decisions. The decision is a
// pure function of the link and the policy, and a cached verdict is never
// changed: Verdict.Apply works on a copy.
type cachedPolicy struct {
	policy    *verdict.Policy
	decisions *recent.Map[verdict.Verdict]
}

func (p *cachedPolicy) Decide(link string) verdict.Verdict {
	if v, ok := p.decisions.Get(link); ok {
		return v
	}
	v := p.policy.Decide(link)
	p.decisions.Put(link, v)
	return v
}
