package threat

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"time"

	"github.com/blibli/safelink/gateway/verdict"
	"github.com/google/safebrowsing"
)

// MaxListAge is the age past which lists must not be used to warn anyone:
// the Safe Browsing terms forbid warnings from lists older than 30 minutes.
const MaxListAge = 30 * time.Minute

// DefaultUpdatePeriod is how often lists are refreshed when Config names no
// period: often enough that one failed refresh leaves them within MaxListAge.
const DefaultUpdatePeriod = 15 * time.Minute

// DefaultRetryPeriod is how often a checker whose lists failed tries again
// when Config names no period.
const DefaultRetryPeriod = time.Minute

// DefaultLists are the threat lists a Safe Browsing checker subscribes to
// when its Config names none: all that Safe Browsing has.
var DefaultLists = []verdict.Threat{verdict.ThreatMalware, verdict.ThreatSocialEngineering, verdict.ThreatUnwantedSoftware, verdict.ThreatHarmfulApplication}

// clientID identifies this program to the Safe Browsing server.
const clientID = "safelink"

// Config configures a SafeBrowsing checker.
type Config struct {
	// APIKey is the Safe Browsing API key. It is required.
	APIKey string

	// ServerURL is the base URL of the Safe Browsing API, such as
	// "http://127.0.0.1:8090" for the fake server. Empty means Google's.
	ServerURL string

	// DBPath is a file that keeps the lists across restarts, so that a
	// restarted checker is ready without waiting for the server. Empty
	// means the lists live in memory only.
	DBPath string

	// UpdatePeriod is how often the lists are refreshed. It must be shorter
	// than MaxAge. Zero means DefaultUpdatePeriod.
	UpdatePeriod time.Duration

	// MaxAge is the age past which the lists are stale and Lookup fails with
	// ErrStale. Zero means MaxListAge, which is also its upper bound.
	MaxAge time.Duration

	// RequestTimeout bounds each request to the server, list updates
	// included. Zero means the library's default of one minute.
	RequestTimeout time.Duration

	// RetryPeriod is how often a checker whose lists failed starts its
	// client again. Zero means DefaultRetryPeriod.
	RetryPeriod time.Duration

	// CacheSize and CacheTTL bound the cache of recent answers: how many
	// URLs, and for how long, unless the lists change first. Zero means
	// DefaultCacheSize and DefaultCacheTTL; a negative value turns the
	// cache off.
	CacheSize int
	CacheTTL  time.Duration

	// Lists are the threat types to subscribe to. Empty means DefaultLists.
	Lists []verdict.Threat

	// Logger receives the client's log. Nil means no log.
	Logger *slog.Logger
}

// withDefaults returns c with its zero fields set to their defaults, or an
// error naming the first invalid field.
func (c Config) withDefaults() (Config, error) {
	if c.APIKey == "" {
		return c, errors.New("threat: Safe Browsing needs an API key")
	}
	if c.ServerURL != "" {
		u, err := url.Parse(c.ServerURL)
		if err != nil {
			return c, fmt.Errorf("threat: Safe Browsing server URL: %w", err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("threat: Safe Browsing server URL %q is not an absolute http or https URL", c.ServerURL)
		}
	}
	var err error
	if c.MaxAge, c.UpdatePeriod, err = freshness(c.MaxAge, c.UpdatePeriod, DefaultUpdatePeriod, 0); err != nil {
		return c, err
	}
	if c.CacheSize == 0 {
		c.CacheSize = DefaultCacheSize
	}
	if c.CacheTTL == 0 {
		c.CacheTTL = DefaultCacheTTL
	}
	if c.RetryPeriod == 0 {
		c.RetryPeriod = DefaultRetryPeriod
	}
	if c.RetryPeriod < 0 {
		return c, fmt.Errorf("threat: retry period %v is negative", c.RetryPeriod)
	}
	if c.RequestTimeout < 0 {
		return c, fmt.Errorf("threat: request timeout %v is negative", c.RequestTimeout)
	}
	if len(c.Lists) == 0 {
		c.Lists = DefaultLists
	}
	c.Lists = append([]verdict.Threat(nil), c.Lists...)
	for i, t := range c.Lists {
		if _, ok := libraryTypes[t]; !ok {
			return c, fmt.Errorf("threat: unknown threat type %q in the lists (known: %s)", t, verdict.FormatThreats(DefaultLists))
		}
		if slices.Contains(c.Lists[:i], t) {
			return c, fmt.Errorf("threat: threat type %q is listed twice in the lists", t)
		}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// freshness returns a source's maximum list age and update period, zero
// ones set to MaxListAge and defaultPeriod, or an error naming the one that
// is wrong: the age must be within (0, MaxListAge], the period positive, at
// least minPeriod, and shorter than the age.
func freshness(maxAge, period, defaultPeriod, minPeriod time.Duration) (time.Duration, time.Duration, error) {
	if maxAge == 0 {
		maxAge = MaxListAge
	}
	if maxAge < 0 || maxAge > MaxListAge {
		return 0, 0, fmt.Errorf("threat: maximum list age %v is outside (0, %v]", maxAge, MaxListAge)
	}
	if period == 0 {
		period = defaultPeriod
	}
	if period <= 0 || period >= maxAge {
		return 0, 0, fmt.Errorf("threat: update period %v must be positive and shorter than the maximum list age %v", period, maxAge)
	}
	if period < minPeriod {
		return 0, 0, fmt.Errorf("threat: update period %v is shorter than the least, %v", period, minPeriod)
	}
	return maxAge, period, nil
}

// libraryTypes maps each Type to the library's threat type.
var libraryTypes = map[verdict.Threat]safebrowsing.ThreatType{
	verdict.ThreatMalware:            safebrowsing.ThreatType_Malware,
	verdict.ThreatSocialEngineering:  safebrowsing.ThreatType_SocialEngineering,
	verdict.ThreatUnwantedSoftware:   safebrowsing.ThreatType_UnwantedSoftware,
	verdict.ThreatHarmfulApplication: safebrowsing.ThreatType_PotentiallyHarmfulApplication,
}

// descriptor returns the list of URLs of threat type t. Google publishes
// potentially harmful applications for mobile platforms only; chat users
// are mostly on Android phones, so that list is Android's. Every other
// list is for any platform.
func descriptor(t verdict.Threat) safebrowsing.ThreatDescriptor {
	platform := safebrowsing.PlatformType_AnyPlatform
	if t == verdict.ThreatHarmfulApplication {
		platform = safebrowsing.PlatformType_Android
	}
	return safebrowsing.ThreatDescriptor{
		ThreatType:      libraryTypes[t],
		PlatformType:    platform,
		ThreatEntryType: safebrowsing.ThreatEntryType_URL,
	}
}

// libraryConfig returns the library's configuration for c, with the
// library's log going to log.
func (c Config) libraryConfig(log *libraryLog) safebrowsing.Config {
	lists := make([]safebrowsing.ThreatDescriptor, len(c.Lists))
	for i, t := range c.Lists {
		lists[i] = descriptor(t)
	}
	return safebrowsing.Config{
		ServerURL:      c.ServerURL,
		APIKey:         c.APIKey,
		ID:             clientID,
		DBPath:         c.DBPath,
		UpdatePeriod:   c.UpdatePeriod,
		ThreatLists:    lists,
		RequestTimeout: c.RequestTimeout,
		Logger:         log,
	}
}
