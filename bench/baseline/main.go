// Command baseline is the yardstick of the load benchmark: an echo v4
// server whose /go only answers 302 to its u parameter, with no decision,
// no page and no check. The gateway's figures are read as ratios to it.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/labstack/echo/v4"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18180", "listen address")
	flag.Parse()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/go", func(c echo.Context) error {
		return c.Redirect(http.StatusFound, c.QueryParam("u"))
	})
	log.Fatal(e.Start(*addr))
}
