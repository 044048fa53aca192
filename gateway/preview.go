package gateway

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"
)

// previewIndex lists the variants for the web team. It is a tool page on
// the internal listener, not a page chat users see.
var previewIndex = template.Must(template.New("preview").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>safelink page previews</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<main class="card">
<h1>Page previews</h1>
<p>Every page variant, rendered from the live templates with sample data. Edit the templates, reload the gateway (SIGHUP or --watch), then reload this page.</p>
<ul>
{{range .}}<li><a href="/_preview/{{.Name}}">{{.Name}}</a> — {{.Description}} ({{.Page.Status}})</li>
{{end}}</ul>
</main>
</body>
</html>
`))

func (g *Gateway) addPreview(e *echo.Echo) {
	get(e, "/_preview", g.handlePreviewIndex)
	get(e, "/_preview/:name", g.handlePreview)
}

func (g *Gateway) handlePreviewIndex(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(http.StatusOK)
	return previewIndex.Execute(c.Response(), Variants(g.current.Load().homeURL))
}

// handlePreview renders one variant with the status the real page has.
func (g *Gateway) handlePreview(c echo.Context) error {
	l := g.current.Load()
	for _, v := range Variants(l.homeURL) {
		if v.Name == c.Param("name") {
			return g.render(c, l, v.Page)
		}
	}
	return echo.ErrNotFound
}
