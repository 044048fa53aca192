package gateway

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// Console configures the security team's console on the internal
// listener; without Files it is left out.
type Console struct {
	// Files are the console's templates (*.html, the shared ones starting
	// with "_") and its style sheet, console.css.
	Files fs.FS
	// TrustedProxies are the addresses of the authenticating proxies (such
	// as oauth2-proxy) whose X-Auth-Request-Email or X-Forwarded-Email
	// names the person signed in. A request from any other address that
	// carries either header is refused; none trusts no proxy.
	TrustedProxies []netip.Prefix
}

// consoleLayout is the template every console page is executed from.
const consoleLayout = "layout"

// consoleStyle is the console's style sheet in its Files.
const consoleStyle = "console.css"

// consoleViews are the parsed console pages, by name.
type consoleViews map[string]*template.Template

// parseConsole parses each console page of fsys with its shared files.
func parseConsole(fsys fs.FS) (consoleViews, error) {
	shared, err := fs.Glob(fsys, "_*.html")
	if err != nil {
		return nil, err
	}
	views := consoleViews{}
	for _, name := range []string{"signin", "overview", "rules", "preview", "reports", "audit", "check"} {
		t, err := template.New(name).ParseFS(fsys, append([]string{name + ".html"}, shared...)...)
		if err != nil {
			return nil, fmt.Errorf("console template %s: %w", name, err)
		}
		if t.Lookup(consoleLayout) == nil {
			return nil, fmt.Errorf("console template %s: no %q template", name, consoleLayout)
		}
		views[name] = t
	}
	return views, nil
}

// consolePage is what every console template reads.
type consolePage struct {
	View   string // the page's template
	Status int
	L      consoleLang
	// Path is the page's own path, for the language switch.
	Path string
	// Person is who is signed in; empty on the sign-in page.
	Person string
	// CSRF is the token of the page's forms, bound to the session.
	CSRF string
	// Problem is the dictionary key of what went wrong with a form; Detail
	// is the store's own words about it.
	Problem, Detail string
	// Data is the page's own.
	Data any
}

// prepareConsole parses the console's files, when it has them: a broken
// console template stops the start.
func (g *Gateway) prepareConsole() error {
	if g.cfg.Console.Files == nil {
		return nil
	}
	views, err := parseConsole(g.cfg.Console.Files)
	if err != nil {
		return err
	}
	style, err := fs.ReadFile(g.cfg.Console.Files, consoleStyle)
	if err != nil {
		return fmt.Errorf("console: %w", err)
	}
	g.console, g.consoleStyle = views, style
	return nil
}

// addConsole routes the console, when it is configured.
func (g *Gateway) addConsole(e *echo.Echo) {
	if g.console == nil {
		return
	}
	get(e, "/console/"+consoleStyle, func(c echo.Context) error {
		return c.Blob(http.StatusOK, "text/css; charset=utf-8", g.consoleStyle)
	})
	get(e, "/console/signin", g.handleSignInPage)
	e.POST("/console/signin", g.handleSignIn, readForm)
	c := e.Group("/console", g.requireConsole)
	get(e, "/console", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/console/") })
	c.GET("/", g.handleConsoleOverview)
	c.POST("/signout", g.handleSignOut, readForm, g.requireConsoleForm)
	c.GET("/rules", g.handleConsoleRules)
	c.POST("/rules/preview", g.handlePreviewRule, readForm, g.requireConsoleForm)
	c.POST("/rules", g.handleConsoleAddRule, readForm, g.requireConsoleForm)
	c.POST("/rules/:id/remove", g.handleConsoleRemoveRule, readForm, g.requireConsoleForm)
	c.GET("/reports", g.handleConsoleReports)
	c.POST("/reports/dismiss", g.handleConsoleDismiss, readForm, g.requireConsoleForm)
	c.POST("/reports/undo", g.handleConsoleUndoDismissal, readForm, g.requireConsoleForm)
	c.GET("/audit", g.handleConsoleAudit)
	c.GET("/check", g.handleConsoleCheck)
}

// renderConsole renders p for the request's person and language.
func (g *Gateway) renderConsole(c echo.Context, p *consolePage) error {
	p.L = consoleLanguage(c)
	p.Path = c.Request().URL.Path
	if id, ok := c.Get(consoleIdentityKey).(consoleIdentity); ok {
		p.Person = id.Person
		p.CSRF = g.consoleFormToken(id, time.Now())
	}
	t := g.console[p.View]
	if t == nil {
		return fmt.Errorf("console: no page %q", p.View)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, consoleLayout, p); err != nil {
		return err
	}
	h := c.Response().Header()
	setAll(h, pageHeaders)
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set(echo.HeaderContentLength, strconv.Itoa(b.Len()))
	c.Response().WriteHeader(p.Status)
	_, err := c.Response().Write(b.Bytes())
	return err
}
