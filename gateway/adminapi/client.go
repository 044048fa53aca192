package adminapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/blibli/safelink/gateway/rules"
)

// MaxAnswer bounds the body of an answer the Client reads.
const MaxAnswer = 16 << 20

// DefaultTimeout is a sensible time limit for one call, answer included.
const DefaultTimeout = 30 * time.Second

// Client calls the admin API of a running gateway. It is safe for
// concurrent use.
type Client struct {
	base  string // the base URL, without a trailing slash
	token string
	http  *http.Client
}

// NewClient returns a client of the admin API at baseURL, the gateway's
// internal listener (such as http://127.0.0.1:8081), authorized by token.
// Each call, answer included, must end within timeout. The client follows
// no redirect: the API never answers with one.
func NewClient(baseURL, token string, timeout time.Duration) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err // without the URL, which may hold a password
		}
		return nil, fmt.Errorf("admin URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("admin URL %s: the scheme must be http or https", u.Redacted())
	case u.Host == "":
		return nil, fmt.Errorf("admin URL %s has no host", u.Redacted())
	case u.User != nil:
		return nil, errors.New("admin URL: give the token, not a user name or password in the URL")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("admin URL %s: a query or fragment has no place here", u.Redacted())
	}
	if token == "" {
		return nil, errors.New("no admin token: give one of the gateway's SAFELINK_ADMIN_TOKENS")
	}
	if timeout <= 0 {
		return nil, fmt.Errorf("timeout %v: must be positive", timeout)
	}
	return &Client{
		base:  strings.TrimSuffix(u.String(), "/"),
		token: token,
		http: &http.Client{
			Timeout:       timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}

// Rules returns every stored rule.
func (c *Client) Rules(ctx context.Context) (RuleList, error) {
	var list RuleList
	err := c.do(ctx, http.MethodGet, "/admin/v1/rules", nil, nil, &list)
	return list, err
}

// AddRule adds a rule and returns it as stored, with its ID.
func (c *Client) AddRule(ctx context.Context, r RuleRequest) (rules.Rule, error) {
	var added rules.Rule
	err := c.do(ctx, http.MethodPost, "/admin/v1/rules", nil, r, &added)
	return added, err
}

// RemoveRule removes the rule with the given ID and returns it.
func (c *Client) RemoveRule(ctx context.Context, id string, r Removal) (rules.Rule, error) {
	if id == "" {
		return rules.Rule{}, errors.New("no rule ID")
	}
	var removed rules.Rule
	err := c.do(ctx, http.MethodDelete, "/admin/v1/rules/"+url.PathEscape(id), nil, r, &removed)
	return removed, err
}

// Audit returns up to limit changes to the rules, newest first; a limit of
// 0 leaves the number to the gateway.
func (c *Client) Audit(ctx context.Context, limit int) (AuditLog, error) {
	q := url.Values{}
	if limit != 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var log AuditLog
	err := c.do(ctx, http.MethodGet, "/admin/v1/audit", q, nil, &log)
	return log, err
}

// Stats adds up the per-minute counts of the last period since, listing
// top sites and reports. A zero since or top leaves it to the gateway.
func (c *Client) Stats(ctx context.Context, since time.Duration, top int) (Stats, error) {
	q := url.Values{}
	if since != 0 {
		q.Set("since", since.String())
	}
	if top != 0 {
		q.Set("top", strconv.Itoa(top))
	}
	var s Stats
	err := c.do(ctx, http.MethodGet, "/admin/v1/stats", q, nil, &s)
	return s, err
}
