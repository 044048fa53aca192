package gateway

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/checkreport"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/verdict"
)

// maxCheckedURL bounds the link the check page decides on, in bytes.
const maxCheckedURL = 8 << 10

// checkView is the data of the check page.
type checkView struct {
	URL   string
	Lines []checkreport.Line // empty before a link is given
}

// handleConsoleCheck decides on a link as a click would, unsigned, with
// this replica's rules and threat lists, and shows what "safelink check"
// prints, the rule that decided included.
func (g *Gateway) handleConsoleCheck(c echo.Context) error {
	v := &checkView{URL: strings.TrimSpace(c.QueryParam("u"))}
	p := &consolePage{View: "check", Status: http.StatusOK, Data: v}
	switch {
	case v.URL == "":
	case len(v.URL) > maxCheckedURL:
		v.URL = ""
		p.Status, p.Problem = http.StatusBadRequest, "problem.toolong"
	default:
		l := g.current.Load()
		d := g.clicks.Decide(c.Request().Context(), l.policy, v.URL, click.Origin{Signature: verdict.Unsigned})
		v.Lines = checkreport.Lines(&d, g.listStates())
	}
	return g.renderConsole(c, p)
}

// listStates says in one line how each threat source's lists are, such as
// "safebrowsing ready", without their problems, which may quote a client
// library's error.
func (g *Gateway) listStates() string {
	var states []string
	for _, t := range g.clicks.Threats {
		states = append(states, string(t.Source)+" "+string(g.clicks.ListStatus(t.Source).State))
	}
	if len(states) == 0 {
		return string(verdict.ListsOff)
	}
	return strings.Join(states, ", ")
}
