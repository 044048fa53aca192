package gateway

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// addHealth routes the health checks. The public listener's /readyz
// answers only its status: the state of the parts (Redis, reloads, lists,
// directories, the event queue) is for the internal listener.
func (g *Gateway) addHealth(e *echo.Echo, details bool) {
	get(e, "/healthz", g.handleHealth)
	if details {
		get(e, "/readyz", g.handleReady)
	} else {
		get(e, "/readyz", g.handleReadyStatus)
	}
}

// handleReadyStatus answers 200 while the gateway can serve and 503 once
// it is draining, with the status alone.
func (g *Gateway) handleReadyStatus(c echo.Context) error {
	if g.draining.Load() {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "draining"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// handleHealth answers 200 while the process runs.
func (g *Gateway) handleHealth(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// handleReady answers 200 while the gateway can serve and 503 once it is
// draining, with the state of its parts and of the last reload.
func (g *Gateway) handleReady(c echo.Context) error {
	body := map[string]any{"status": "ready", "reload": g.ReloadStats()}
	for _, source := range verdict.Sources {
		body[string(source)] = g.clicks.ListStatus(source)
	}
	if sync := g.cfg.Shared.RuleSync; sync != nil {
		body["rules"] = ruleStatus(sync.State())
	}
	if q := g.cfg.Shared.Events; q != nil {
		body["events"] = q.Stats()
	}
	for k, v := range g.current.Load().status {
		body[k] = v
	}
	status := http.StatusOK
	if g.draining.Load() {
		body["status"] = "draining"
		status = http.StatusServiceUnavailable
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return c.JSONBlob(status, []byte(g.cfg.Secrets.String(string(b))))
}

// ruleStatus describes a replica's copy of the rules for /readyz.
func ruleStatus(st rules.SyncState) map[string]any {
	out := map[string]any{"count": st.Rules, "revision": st.Revision}
	if !st.LastSync.IsZero() {
		out["last_sync"] = st.LastSync
		out["age_seconds"] = int64(time.Since(st.LastSync) / time.Second)
	}
	if st.LastError != nil {
		out["error"] = st.LastError.Error()
		out["error_at"] = st.LastErrorAt
	}
	return out
}
