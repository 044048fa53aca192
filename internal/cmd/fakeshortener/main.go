// Command fakeshortener is a forward proxy that stands in for the internet
// and its URL shorteners, for the load benchmark and local demos: every
// request it is asked to forward is answered with a redirect to the
// destination.
//
//	go run ./internal/cmd/fakeshortener -addr 127.0.0.1:3128 -to https://promo-hadiah.xyz/klaim
//	go run ./cmd/safelink serve -expand-proxy http://127.0.0.1:3128
//
// Then http://localhost:8080/go?u=http://bit.ly/x shows the warning for the
// destination, reached through bit.ly.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3128", "address to listen on")
	to := flag.String("to", "https://promo-hadiah.xyz/klaim", "where every shortener link leads")
	flag.Parse()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !r.URL.IsAbs() {
			http.Error(w, "a forward proxy: send absolute-form requests", http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, *to, http.StatusMovedPermanently)
	})
	srv := &http.Server{Addr: *addr, Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, "fakeshortener:", err)
		os.Exit(2)
	}
}
