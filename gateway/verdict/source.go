package verdict

// Source is a threat source: who keeps the lists that name a threat. The
// values are stable: /readyz, metrics and the block page name them.
type Source string

// The threat sources, both Google's.
const (
	SourceSafeBrowsing Source = "safebrowsing" // Google Safe Browsing v4, non-commercial use only
	SourceWebRisk      Source = "webrisk"      // Google Web Risk, for commercial use
)

// Sources lists every Source.
var Sources = []Source{SourceSafeBrowsing, SourceWebRisk}
