package procs

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Secrets of the gateways started here; they protect nothing. The API
// token is named load, the admin token soak.
const (
	APIToken   = "load-api-token-0123456789"
	AdminToken = "load-admin-token-0123456789"
	SigningKey = "b1:YmVuY2gtc2lnbmluZy1rZXktb2YtMzItYnl0ZXMh"
	TokenKey   = "YmVuY2gtdG9rZW4ta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMh"
	EventSalt  = "load-salt-of-sixteen-bytes"
	// PublicURL is the public URL the gateway signs its links for.
	PublicURL = "https://link.blibli.com"
)

// Gateway is a running "safelink serve" with its internal listener.
type Gateway struct {
	*Process
	Internal string
}

// StartGateway starts the gateway binary bin, named name in its log lines,
// on free ports with the rewrite and admin APIs on, the secrets above, logs
// at warn, no limit of the rewrite API's calls, and shortener expansion
// off, so that no load reaches a real shortener; extra flags follow, such
// as Safe Browsing, Redis or expansion settings.
func StartGateway(g *Group, name, bin, cpus string, extra ...string) (*Gateway, error) {
	addr, internal := FreeAddr(), FreeAddr()
	args := append([]string{"serve", "-addr", addr, "-internal-addr", internal, "-public-url", PublicURL,
		"-log-level", "warn", "-api-tokens", "load:" + APIToken, "-admin-tokens", "soak:" + AdminToken, "-signing-keys", SigningKey,
		"-api-per-minute", "1000000", "-token-key", TokenKey, "-event-salt", EventSalt, "-expand=false"}, extra...)
	p, err := g.Start(name, addr, cpus, bin, args...)
	if err != nil {
		return nil, err
	}
	return &Gateway{Process: p, Internal: internal}, nil
}

// WaitLists waits until the lists of every threat source the gateway has
// on are loaded.
func (gw *Gateway) WaitLists(within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get("http://" + gw.Internal + "/readyz")
		if err == nil {
			var body struct {
				SafeBrowsing struct{ State string } `json:"safebrowsing"`
				WebRisk      struct{ State string } `json:"webrisk"`
			}
			err = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			states := []string{body.SafeBrowsing.State, body.WebRisk.State}
			if err == nil && slices.Contains(states, "ready") && !slices.ContainsFunc(states, notLoaded) {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the gateway's threat lists did not load within %v", within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// notLoaded reports whether a source's state on /readyz is neither ready
// nor off.
func notLoaded(state string) bool {
	return state != "ready" && state != "off"
}
