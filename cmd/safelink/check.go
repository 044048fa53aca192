package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/blibli/safelink/gateway/checkreport"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/redact"
	"github.com/blibli/safelink/gateway/verdict"
)

// checkResult is the JSON form of one decision printed by "safelink check".
type checkResult struct {
	Input    string           `json:"input"`
	Action   verdict.Action   `json:"action"`
	Reasons  []verdict.Reason `json:"reasons"`
	Problem  string           `json:"problem,omitempty"`
	Target   string           `json:"target,omitempty"`
	Site     string           `json:"site,omitempty"`
	Imitates string           `json:"imitates,omitempty"`
	Hops     int              `json:"hops,omitempty"`
	Threats  []verdict.Threat `json:"threats,omitempty"`
	// Lists is the state of each threat source's lists, such as
	// "webrisk ready", or off when there is none.
	Lists string `json:"lists"`
}

func check(e env) int {
	var (
		p      policyFlags
		t      threatFlags
		wait   time.Duration
		asJSON bool
	)
	fs := newFlagSet("check", "check [flags] URL...", e.stderr)
	p.register(fs)
	t.register(fs)
	fs.DurationVar(&wait, "safebrowsing-wait", 30*time.Second, "how long to wait for the threat lists of every source to load")
	fs.BoolVar(&asJSON, "json", false, "print JSON, one object per line")
	if code := parseOrExit(fs, e); code >= 0 {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "safelink check: give at least one URL")
		return exitUsage
	}
	policy, _, err := p.load()
	if err != nil {
		fmt.Fprintf(e.stderr, "safelink check: %v\n", err)
		return exitUsage
	}
	logger := slog.New(redact.New(t.secrets()...).Handler(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	threats, err := t.open(logger)
	if err != nil {
		fmt.Fprintf(e.stderr, "safelink check: %v\n", err)
		return exitUsage
	}
	defer threats.close()
	lists, err := threats.waitReady(wait)
	if err != nil {
		lists = err.Error()
		fmt.Fprintf(e.stderr, "safelink check: %v; external links are shown as unverified\n", err)
	}
	clicks := click.Service{Threats: threats.sources(), Suspected: threats.suspected, ThreatTimeout: t.timeout}
	enc := json.NewEncoder(e.stdout)
	for _, raw := range fs.Args() {
		v := clicks.Decide(context.Background(), policy, raw, click.Origin{Signature: verdict.Unsigned})
		r := checkResult{Input: raw, Action: v.Action, Reasons: v.Reasons, Problem: string(v.Problem),
			Target: v.Target, Site: v.Site, Imitates: v.Imitates, Hops: v.Hops, Threats: v.Threats, Lists: lists}
		if r.Reasons == nil {
			r.Reasons = []verdict.Reason{}
		}
		if asJSON {
			if err := enc.Encode(r); err != nil {
				fmt.Fprintf(e.stderr, "safelink check: %v\n", err)
				return exitFail
			}
			continue
		}
		printCheck(e, &r, &v)
	}
	return exitOK
}

func printCheck(e env, r *checkResult, v *verdict.Verdict) {
	fmt.Fprintln(e.stdout, r.Input)
	for _, l := range checkreport.Lines(v, r.Lists) {
		fmt.Fprintf(e.stdout, "  %-9s %s\n", l.Name+":", l.Value)
	}
}
