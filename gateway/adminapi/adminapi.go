// Package adminapi is the gateway's admin API as it travels on the wire:
// the request and answer bodies of /admin/v1/…, which the gateway serves
// and the safelink command sends, and a Client that calls the API.
//
// The API is served on the gateway's internal listener, behind named
// bearer tokens (SAFELINK_ADMIN_TOKENS): the token's name is the author of
// every change in the audit log. Every error of the gateway's JSON APIs,
// the rewrite API's included, has the body ErrorBody; the Client turns a
// non-2xx answer into a *StatusError.
package adminapi

import (
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/series"
)

// RuleRequest is the body of POST /admin/v1/rules: a rule, with its expiry
// given either as a time (ExpiresAt) or as a duration from now (ExpiresIn,
// such as "90m", "24h" or "7d"). The gateway sets ID, CreatedAt and
// Author; CreatedBy is an optional note.
type RuleRequest struct {
	rules.Rule
	ExpiresIn string `json:"expires_in,omitempty"`
}

// RuleList is the answer of GET /admin/v1/rules: every stored rule, and the
// revision of the last change they include.
type RuleList struct {
	Rules    []rules.Rule `json:"rules"`
	Revision uint64       `json:"revision"`
}

// Removal is the body of DELETE /admin/v1/rules/{id}: why the rule goes,
// and an optional note of who asked for it (the author is the token's
// name). Both may come as the query parameters why and by instead.
type Removal struct {
	By  string `json:"by,omitempty"`
	Why string `json:"why"`
}

// AuditLog is the answer of GET /admin/v1/audit: changes to the rules,
// newest first.
type AuditLog struct {
	Changes []rules.Change `json:"changes"`
}

// Stats is the answer of GET /admin/v1/stats: the per-minute counts of the
// period added up (clicks by action, the most clicked sites, click-through
// per warning reason) and the latest reports, newest first.
type Stats struct {
	series.Summary
	RecentReports []events.Event
}

// ErrorBody is the body of every error answer of the gateway's JSON APIs,
// the admin and the rewrite API: what was wrong, in one sentence.
type ErrorBody struct {
	Error string `json:"error"`
}
