package gateway

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/verdict"
)

// The purposes of the form tokens, and how long each stays valid.
const (
	purposeContinue = "continue"
	purposeReport   = "report"
	continueTTL     = 15 * time.Minute
	reportTTL       = time.Hour
)

// maxFormBytes bounds the body of a form post.
const maxFormBytes = 16 << 10

// maxCommentRunes bounds the free text of a report.
const maxCommentRunes = 500

// ReportCategories are the values the report form may send.
var ReportCategories = []string{"scam", "phishing", "malware", categoryFalsePositive, "other"}

// categoryFalsePositive is the report that a warning or a block was wrong.
const categoryFalsePositive = "false-positive"

// readForm reads the body of a form post before its handler runs: a body
// over maxFormBytes gets 413, whether its length was declared or it came
// in chunks, and a body that does not parse gets 400.
func readForm(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		r.Body = http.MaxBytesReader(c.Response(), r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
			}
			return echo.NewHTTPError(http.StatusBadRequest)
		}
		return next(c)
	}
}

// postedValue returns a field of the posted form, never of the query
// string: a token in a link's query must not stand in for the form.
func postedValue(c echo.Context, name string) string {
	return c.Request().PostFormValue(name)
}

// errCrossSite refuses a form posted from another site.
var errCrossSite = errors.New("form posted from another site")

// formTokens are the signed tokens of a page's forms; empty where the
// page has no such form.
type formTokens struct {
	Continue string // the continue form of a warning page
	Report   string // the report form of warning and block pages
}

// formTokens makes the tokens of the forms of v's page at now: continue
// for a warning, report for any verdict with a destination.
func (g *Gateway) formTokens(v *verdict.Verdict, now time.Time) formTokens {
	var t formTokens
	if v.URL == nil {
		return t
	}
	if v.Action == verdict.Warn {
		t.Continue = g.tokens.Sign(purposeContinue, v.Target, expiry(now, continueTTL))
	}
	t.Report = g.reportToken(v, now)
	return t
}

// expiry is when a token made at now expires: ttl later, rounded up to the
// next whole minute, so that the pages of one link shown in the same
// minute carry the same tokens and render alike (see bundleCaches).
func expiry(now time.Time, ttl time.Duration) time.Time {
	return now.Add(ttl).Truncate(time.Minute).Add(time.Minute)
}

// reportSubject is what a report token says about the reported link: the
// decision the user saw.
type reportSubject struct {
	Target  string         `json:"u"`
	Action  verdict.Action `json:"a"`
	Reasons []string       `json:"r,omitempty"`
	Site    string         `json:"s"`
	Signed  bool           `json:"g,omitempty"`
}

func (g *Gateway) reportToken(v *verdict.Verdict, now time.Time) string {
	b, err := json.Marshal(reportSubject{Target: v.Target, Action: v.Action, Reasons: v.EventReasons(), Site: v.Site, Signed: v.Signed})
	if err != nil {
		panic(err) // strings and a bool always marshal
	}
	return g.tokens.Sign(purposeReport, string(b), expiry(now, reportTTL))
}

// checkForm refuses a form that another site posted (by the browser's
// Sec-Fetch-Site, or its Origin when that is missing) and returns the
// payload of its token.
func (g *Gateway) checkForm(c echo.Context, purpose string) (string, error) {
	if !sameOrigin(c.Request()) {
		g.metrics.tokenFailures.WithLabelValues(purpose).Inc()
		return "", errCrossSite
	}
	payload, err := g.tokens.Verify(purpose, postedValue(c, "t"), time.Now())
	if err != nil {
		g.metrics.tokenFailures.WithLabelValues(purpose).Inc()
	}
	return payload, err
}

// sameOrigin reports whether r was sent by a page of the gateway itself.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin":
		return true
	case "":
		origin, err := url.Parse(r.Header.Get("Origin"))
		return err == nil && origin.Host != "" && strings.EqualFold(origin.Host, r.Host)
	}
	return false
}

// handleContinue takes the user on from a warning page. The destination is
// decided again, with fresh rules and threat lists; only a warning is
// followed, by a 303 to the destination the token names.
func (g *Gateway) handleContinue(c echo.Context) error {
	l := g.current.Load()
	target, err := g.checkForm(c, purposeContinue)
	if err != nil {
		return g.formRefused(c, l, err)
	}
	// The token proves the gateway showed this warning: the link it came
	// from was checked then, signature included.
	v := g.clicks.Decide(c.Request().Context(), l.policy, target, click.Origin{Signature: verdict.SignedValid})
	switch v.Action {
	case verdict.Warn, verdict.Redirect:
		g.metrics.continues.Inc()
		g.record(c, events.KindContinue, &v, time.Now())
		return c.Redirect(http.StatusSeeOther, v.Target)
	case verdict.Block:
		return g.renderVerdict(c, l, pageBlock, http.StatusForbidden, &v)
	default:
		return g.renderVerdict(c, l, pageInvalid, http.StatusBadRequest, &v)
	}
}

// handleReport records a user's report of a link, then shows the thanks.
func (g *Gateway) handleReport(c echo.Context) error {
	l := g.current.Load()
	ok, err := g.limit(c, "report", clientKey(c.RealIP()), g.cfg.Shared.ReportLimit, func(time.Duration) error {
		return g.render(c, l, &Page{Page: pageError, Status: http.StatusTooManyRequests, HomeURL: l.homeURL})
	})
	if !ok {
		return err
	}
	payload, err := g.checkForm(c, purposeReport)
	if err != nil {
		return g.formRefused(c, l, err)
	}
	var subject reportSubject
	if err := json.Unmarshal([]byte(payload), &subject); err != nil {
		return g.formRefused(c, l, err)
	}
	category := postedValue(c, "category")
	if !slices.Contains(ReportCategories, category) {
		return g.render(c, l, &Page{Page: pageError, Status: http.StatusBadRequest, HomeURL: l.homeURL})
	}
	comment := cleanComment(postedValue(c, "comment"))
	g.metrics.reports.Inc()
	now := time.Now()
	reporter := g.pseudonym(c, now)
	if q := g.cfg.Shared.Events; q != nil {
		q.Enqueue(events.Event{Kind: events.KindReport, Time: now, Action: subject.Action, Reasons: subject.Reasons,
			Site: subject.Site, Signed: subject.Signed, Category: category, Comment: comment, UserHash: reporter})
	}
	g.countReport(c.Request().Context(), l, subject.Site, category, reporter, now)
	return c.Redirect(http.StatusSeeOther, "/report/thanks")
}

func (g *Gateway) handleThanks(c echo.Context) error {
	l := g.current.Load()
	return g.render(c, l, &Page{Page: pageThanks, Status: http.StatusOK, HomeURL: l.homeURL})
}

// formRefused answers a form whose token is bad or expired, or that came
// from another site.
func (g *Gateway) formRefused(c echo.Context, l *loaded, err error) error {
	g.log.Debug("form refused", "path", c.Path(), "err", err)
	if errors.Is(err, errCrossSite) {
		return g.render(c, l, &Page{Page: pageError, Status: http.StatusForbidden, HomeURL: l.homeURL})
	}
	return g.render(c, l, &Page{Page: pageExpired, Status: http.StatusBadRequest, HomeURL: l.homeURL})
}

// cleanComment keeps a report's text readable and bounded: valid UTF-8,
// no control or invisible formatting characters but line breaks, at most
// maxCommentRunes.
func cleanComment(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == maxCommentRunes {
			break
		}
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
			continue
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimSpace(b.String())
}
