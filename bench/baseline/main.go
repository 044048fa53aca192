// Command baseline is the yardstick of the load benchmark: an echo v4
// server whose /go only answers 302 to its u parameter, with no decision,
// no page and no check. The gateway's figures are read as ratios to it.
//
// With -strict it also sends the gateway's security headers and runs with
// the gateway's default server timeouts: the least that any gateway
// meeting the project's header and timeout requirements pays on a
// redirect, shown beside the gateway for reference.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18180", "listen address")
	strict := flag.Bool("strict", false, "send the gateway's security headers and use its default server timeouts")
	flag.Parse()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/go", func(c echo.Context) error {
		return c.Redirect(http.StatusFound, c.QueryParam("u"))
	})
	if !*strict {
		log.Fatal(e.Start(*addr))
	}
	headers := gateway.SecurityHeaders(0)
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			for key, values := range headers {
				h[key] = values
			}
			return next(c)
		}
	})
	server := &http.Server{
		Addr:              *addr,
		Handler:           e,
		ReadHeaderTimeout: gateway.DefaultReadHeaderTimeout,
		ReadTimeout:       gateway.DefaultReadTimeout,
		WriteTimeout:      gateway.DefaultWriteTimeout,
		IdleTimeout:       gateway.DefaultIdleTimeout,
	}
	log.Fatal(server.ListenAndServe())
}
