package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/linksign"
	"github.com/blibli/safelink/gateway/redact"
	"github.com/blibli/safelink/gateway/signals"
)

// serveFlags are the settings of "safelink serve".
type serveFlags struct {
	policyFlags
	signalsFlags
	assetFlags
	threatFlags
	sharedFlags
	signingFlags
	expandFlags
	appLinkFlags
	apiTokens         string
	watch             bool
	pprof             bool
	addr              string
	internalAddr      string
	homeURL           string
	hstsMaxAge        time.Duration
	readHeaderTimeout time.Duration
	readTimeout       time.Duration
	writeTimeout      time.Duration
	idleTimeout       time.Duration
	maxHeaderBytes    int
	shutdownDelay     time.Duration
	shutdownTimeout   time.Duration
	logFormat         string
	logLevel          slog.Level
}

func serve(e env) int {
	var f serveFlags
	fs := newFlagSet("serve", "serve [flags]", e.stderr)
	f.policyFlags.register(fs)
	f.signalsFlags.register(fs)
	f.assetFlags.register(fs)
	f.threatFlags.register(fs)
	f.sharedFlags.register(fs)
	f.signingFlags.register(fs)
	f.expandFlags.register(fs)
	f.appLinkFlags.register(fs)
	fs.StringVar(&f.apiTokens, "api-tokens", "", "comma-separated name:token entries of the rewrite API, as -admin-tokens: the name is the caller in rate limits and metrics; empty turns the API off")
	fs.BoolVar(&f.watch, "watch", false, "reload templates, static files, allowlist and signal patterns when a file in their directories changes (SIGHUP always reloads)")
	fs.StringVar(&f.addr, "addr", ":8080", "public listener: /go, /go/continue, /report, /static/, /healthz, /readyz")
	fs.StringVar(&f.internalAddr, "internal-addr", "127.0.0.1:8081", "internal listener: /healthz, /readyz, /metrics, the admin API (/admin/v1/), the rewrite API (/api/v1/rewrite) and the page preview (/_preview); keep it off the internet")
	fs.BoolVar(&f.pprof, "pprof", false, "serve Go's profiler at /debug/pprof/ on the internal listener, to admin tokens")
	fs.StringVar(&f.homeURL, "home-url", "https://www.blibli.com/", "where \"back to Blibli\" leads; an official https URL")
	fs.DurationVar(&f.hstsMaxAge, "hsts-max-age", 0, "send Strict-Transport-Security with this max-age; 0 sends none")
	fs.DurationVar(&f.readHeaderTimeout, "read-header-timeout", gateway.DefaultReadHeaderTimeout, "time allowed to read request headers")
	fs.DurationVar(&f.readTimeout, "read-timeout", gateway.DefaultReadTimeout, "time allowed to read a whole request")
	fs.DurationVar(&f.writeTimeout, "write-timeout", gateway.DefaultWriteTimeout, "time allowed to write a response")
	fs.DurationVar(&f.idleTimeout, "idle-timeout", gateway.DefaultIdleTimeout, "how long an idle keep-alive connection stays open")
	fs.IntVar(&f.maxHeaderBytes, "max-header-bytes", 64<<10, "largest request line and headers, in bytes")
	fs.DurationVar(&f.shutdownDelay, "shutdown-delay", 0, "on SIGTERM or SIGINT, how long to keep serving while /readyz answers 503, so load balancers stop sending requests before the listeners close")
	fs.DurationVar(&f.shutdownTimeout, "shutdown-timeout", 20*time.Second, "on SIGTERM or SIGINT, how long in-flight requests may take to finish")
	fs.StringVar(&f.logFormat, "log-format", "json", "log format: json or text")
	fs.TextVar(&f.logLevel, "log-level", slog.LevelInfo, "log level: debug, info, warn or error")
	if code := parseOrExit(fs, e); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "safelink serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	secrets := f.secrets()
	logger, err := newLogger(e, f.logFormat, f.logLevel, secrets)
	if err != nil {
		fmt.Fprintf(e.stderr, "safelink serve: %v\n", err)
		return exitUsage
	}
	if err := runServer(&f, logger, secrets); err != nil {
		logger.Error("gateway stopped", "err", err)
		return exitFail
	}
	return exitOK
}

// newLogger returns the logger of the format and level given, which takes
// the secrets out of every line.
func newLogger(e env, format string, level slog.Level, secrets *redact.Secrets) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "json":
		return slog.New(secrets.Handler(slog.NewJSONHandler(e.stderr, opts))), nil
	case "text":
		return slog.New(secrets.Handler(slog.NewTextHandler(e.stderr, opts))), nil
	}
	return nil, fmt.Errorf("log format %q: use json or text", format)
}

// runServer loads everything, listens, and serves until SIGTERM or SIGINT,
// then lets in-flight requests finish. SIGHUP reloads the templates, static
// files, allowlist and signal patterns.
func runServer(f *serveFlags, logger *slog.Logger, secrets *redact.Secrets) error {
	threats, err := f.threatFlags.open(logger)
	if err != nil {
		return err
	}
	defer threats.close()
	threats.announce(logger, &f.threatFlags)
	tokens, err := f.sharedFlags.tokens(logger)
	if err != nil {
		return err
	}
	adminTokens, err := namedTokens("admin-tokens", f.adminTokens)
	if err != nil {
		return err
	}
	apiTokens, err := namedTokens("api-tokens", f.apiTokens)
	if err != nil {
		return err
	}
	keys, err := f.signingFlags.keyring()
	if err != nil {
		return err
	}
	rw, err := rewriter(f.publicURL, keys)
	if err != nil {
		return fmt.Errorf("public URL: %w", err)
	}
	clientIP, err := f.clientIP()
	if err != nil {
		return err
	}
	console, err := f.console()
	if err != nil {
		return err
	}
	shared, err := f.sharedFlags.open(logger)
	if err != nil {
		return err
	}
	expander, err := f.expandFlags.expander(shared.expansions)
	if err != nil {
		return err
	}
	syncCtx, stopSync := context.WithCancel(context.Background())
	defer stopSync()
	syncDone := make(chan struct{})
	go func() {
		defer close(syncDone)
		shared.syncer.Run(syncCtx)
	}()
	g, err := gateway.New(gateway.Config{
		HomeURL:    f.homeURL,
		HSTSMaxAge: f.hstsMaxAge,
		Logger:     logger,
		Secrets:    secrets,
		Clicks: click.Service{
			Signatures: keys, RequireSignature: f.signingFlags.require,
			Rules: shared.syncer, Threats: threats.sources(), Suspected: threats.suspected, ThreatTimeout: f.threatFlags.timeout,
			Expander: expander,
		},
		ListStats:   threats.listStats(),
		Shared:      shared.Shared,
		Tokens:      tokens,
		AdminTokens: adminTokens,
		APITokens:   apiTokens,
		Profiling:   f.pprof,
		Rewriter:    rw,
		ClientIP:    clientIP,
		Console:     console,
	}, f.loadBundle)
	if err != nil {
		return err
	}
	servers := []*http.Server{f.newServer(f.addr, g.Public(), logger), f.newServer(f.internalAddr, g.Internal(), logger)}
	listeners := make([]net.Listener, len(servers))
	for i, s := range servers {
		if listeners[i], err = net.Listen("tcp", s.Addr); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	// SIGHUP is caught before the start is logged: until then its default,
	// ending the process, would still apply.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go reloadOnSignal(ctx, g, hup)
	if f.watch {
		dirs := nonEmpty(f.templatesDir, f.staticDir, f.allowlistDir, f.signalsFlags.dir)
		if err := watch(ctx, dirs, g.Reload, logger); err != nil {
			return err
		}
		logger.Info("watching for changes", "dirs", dirs)
	}
	logger.Info("gateway started",
		"public", listeners[0].Addr().String(), "internal", listeners[1].Addr().String(),
		"public_url", f.publicURL, "allowlist", dirSource(f.allowlistDir), "signals", dirSource(f.signalsFlags.dir),
		"templates", source(f.templatesDir), "static", source(f.staticDir),
		"shared_state", sharedSource(f.redisURL), "admin_api", adminTokens.Names(),
		"rewrite_api", apiTokens.Names(), "signing_keys", keyIDs(keys), "require_signature", f.signingFlags.require,
		"expand", f.expandFlags.mode())
	shutdownStart := time.Now()
	err = serveAll(ctx, servers, listeners, f.shutdownDelay, f.shutdownTimeout, func() {
		// Draining before the log line, which tests and operators take as
		// the sign that /readyz now answers 503.
		g.Drain()
		logger.Info("shutting down", "delay", f.shutdownDelay, "timeout", f.shutdownTimeout)
		// The timeout counts from when the listeners close, after the delay.
		shutdownStart = time.Now().Add(f.shutdownDelay)
	})
	// The syncer stops before the Redis connection closes, so that a
	// shutdown does not read as Redis failing.
	stopSync()
	<-syncDone
	flushCtx, cancel := context.WithTimeout(context.Background(), max(f.shutdownTimeout-time.Since(shutdownStart), time.Second))
	defer cancel()
	if flushErr := shared.close(flushCtx); flushErr != nil {
		logger.Error("events not all written at shutdown", "err", flushErr, "events", shared.queue.Stats())
	}
	if err != nil {
		return err
	}
	logger.Info("gateway stopped", "events", shared.queue.Stats())
	return nil
}

// keyIDs lists the ids of the signing keys, never their secrets.
func keyIDs(k *linksign.Keyring) []string {
	if k == nil {
		return nil
	}
	return k.KeyIDs()
}

// sharedSource names where the shared state lives, without credentials.
func sharedSource(redisURL string) string {
	if redisURL == "" {
		return "memory"
	}
	return "redis"
}

// loadBundle reads the allowlist, templates and static files, with the
// override directories over the embedded files. It checks the signal
// patterns too, so that a broken pattern file fails a start or a reload
// and shows on /readyz like a broken allowlist.
func (f *serveFlags) loadBundle() (*gateway.Bundle, error) {
	policy, lists, err := f.policyFlags.load()
	if err != nil {
		return nil, err
	}
	scannerList, scannerSource, err := loadScanners(f.allowlistDir)
	if err != nil {
		return nil, err
	}
	detector, err := f.signalsFlags.load()
	if err != nil {
		return nil, err
	}
	pageSet, err := f.templates()
	if err != nil {
		return nil, err
	}
	static, err := f.static()
	if err != nil {
		return nil, err
	}
	appLinks, err := f.appLinkFlags.load()
	if err != nil {
		return nil, err
	}
	return &gateway.Bundle{
		Policy:   policy,
		Signals:  detector,
		Scanners: scannerList,
		Pages:    pageSet,
		Static:   static,
		AppLinks: appLinks,
		Status: map[string]any{
			"app_links": f.appLinkFlags.status(appLinks),
			"allowlist": map[string]any{"source": dirSource(f.allowlistDir), "entries": lists.Counts()},
			"scanners":  map[string]any{"source": scannerSource, "patterns": scannerList.Len()},
			"signals":   map[string]any{"source": dirSource(f.signalsFlags.dir), "match_lines": matchLines(detector)},
			"templates": source(f.templatesDir),
			"static":    source(f.staticDir),
		},
	}, nil
}

// matchLines counts the match lines of each signal pattern file.
func matchLines(d *signals.Detector) map[string]int {
	counts := map[string]int{}
	for _, f := range d.Files() {
		counts[f.File] = f.Matches
	}
	return counts
}

// reloadOnSignal reloads the gateway on every SIGHUP until ctx ends.
func reloadOnSignal(ctx context.Context, g *gateway.Gateway, hup <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			_ = g.Reload() // Reload logs the outcome and keeps the last good bundle.
		}
	}
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// serveAll serves each server on its listener until ctx ends or a server
// fails. Then it calls onStop, keeps serving for delay, and shuts every
// server down: listeners close, in-flight requests get until timeout to
// finish.
func serveAll(ctx context.Context, servers []*http.Server, listeners []net.Listener, delay, timeout time.Duration, onStop func()) error {
	errc := make(chan error, len(servers))
	for i, s := range servers {
		go func() { errc <- s.Serve(listeners[i]) }()
	}
	var serveErr error
	select {
	case serveErr = <-errc:
	case <-ctx.Done():
	}
	onStop()
	if serveErr == nil {
		time.Sleep(delay)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	errs := []error{serveErr}
	for _, s := range servers {
		if err := s.Shutdown(shutdownCtx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown %s: %w", s.Addr, err))
		}
	}
	return errors.Join(errs...)
}

func (f *serveFlags) newServer(addr string, h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: f.readHeaderTimeout,
		ReadTimeout:       f.readTimeout,
		WriteTimeout:      f.writeTimeout,
		IdleTimeout:       f.idleTimeout,
		MaxHeaderBytes:    f.maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}
