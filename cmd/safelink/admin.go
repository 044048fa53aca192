package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/blibli/safelink/gateway/adminapi"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// adminFlags reach the admin API of a running gateway, which the rule,
// audit and stats commands use so that every change is audited the same
// way, with Redis or without.
type adminFlags struct {
	url    string
	token  string
	asJSON bool
}

func (a *adminFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.url, "admin-url", "http://127.0.0.1:8081", "internal listener of a running gateway")
	fs.StringVar(&a.token, "admin-token", "", "bearer token of the admin API (set it in the environment)")
	fs.BoolVar(&a.asJSON, "json", false, "print the API's JSON answer")
}

// adminRun calls the admin API for a command with its positional
// arguments. It returns the answer, printed as JSON with -json, and a
// function that prints it as a table otherwise.
type adminRun func(ctx context.Context, api *adminapi.Client, args []string) (answer any, table func(io.Writer) error, err error)

// adminCommand parses the flags of an admin command, checks that it got
// one positional argument for each name in params, and runs it. A bad
// command line exits with exitUsage; a call the API refused or that did
// not reach it, with exitFail.
func adminCommand(e env, name, synopsis string, params []string, define func(*flag.FlagSet), run adminRun) int {
	var a adminFlags
	fs := newFlagSet(name, synopsis, e.stderr)
	a.register(fs)
	if define != nil {
		define(fs)
	}
	if code := parseOrExit(fs, e); code >= 0 {
		return code
	}
	usage := func(problem string) int {
		fmt.Fprintf(e.stderr, "safelink %s: %s\nUsage: safelink %s\n", name, problem, synopsis)
		return exitUsage
	}
	args := fs.Args()
	if len(args) > len(params) {
		return usage(fmt.Sprintf("unexpected argument %q", args[len(params)]))
	}
	for i, p := range params {
		if i >= len(args) || args[i] == "" {
			return usage("missing " + p)
		}
	}
	api, err := adminapi.NewClient(a.url, a.token, adminapi.DefaultTimeout)
	if err != nil {
		return usage(err.Error())
	}
	answer, table, err := run(context.Background(), api, args)
	if err == nil {
		if a.asJSON {
			err = printJSON(e, answer)
		} else {
			err = table(e.stdout)
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "safelink %s: %v\n", name, err)
		return exitFail
	}
	return exitOK
}

func ruleCommand(e env) int {
	if len(e.args) == 0 {
		fmt.Fprintln(e.stderr, "safelink rule: expected add, ls or rm")
		return exitUsage
	}
	sub := e.args[0]
	e.args = e.args[1:]
	switch sub {
	case "add":
		return ruleAdd(e)
	case "ls":
		return ruleList(e)
	case "rm":
		return ruleRemove(e)
	}
	fmt.Fprintf(e.stderr, "safelink rule: unknown subcommand %q; expected add, ls or rm\n", sub)
	return exitUsage
}

func ruleAdd(e env) int {
	var (
		r             adminapi.RuleRequest
		match, action string
	)
	return adminCommand(e, "rule add", "rule add -match domain|host|url-prefix -value V -action block|warn|allow -reason TEXT -by NAME [-expires-in 24h]", nil,
		func(fs *flag.FlagSet) {
			fs.StringVar(&match, "match", "domain", "what the value is: domain (with subdomains), host, or url-prefix")
			fs.StringVar(&r.Value, "value", "", "the domain, host or URL prefix")
			fs.StringVar(&action, "action", "block", "block, warn or allow")
			fs.StringVar(&r.Reason, "reason", "", "why; shown to users on warn and block pages")
			fs.StringVar(&r.CreatedBy, "by", e.getenv("USER"), "a note of who asks for the rule; the audit log's author is the token's name all the same")
			fs.StringVar(&r.ExpiresIn, "expires-in", "", "remove the rule after this long, e.g. 90m, 24h, 7d; empty: never")
		},
		func(ctx context.Context, api *adminapi.Client, _ []string) (any, func(io.Writer) error, error) {
			r.Match, r.Action = rules.Kind(match), verdict.RuleAction(action)
			added, err := api.AddRule(ctx, r)
			return added, func(w io.Writer) error { return printRules(w, added) }, err
		})
}

func ruleList(e env) int {
	return adminCommand(e, "rule ls", "rule ls", nil, nil, func(ctx context.Context, api *adminapi.Client, _ []string) (any, func(io.Writer) error, error) {
		list, err := api.Rules(ctx)
		return list, func(w io.Writer) error { return printRules(w, list.Rules...) }, err
	})
}

func ruleRemove(e env) int {
	var r adminapi.Removal
	return adminCommand(e, "rule rm", "rule rm -by NAME -why TEXT ID", []string{"rule ID"}, func(fs *flag.FlagSet) {
		fs.StringVar(&r.By, "by", e.getenv("USER"), "a note of who asks for the removal; the audit log's author is the token's name all the same")
		fs.StringVar(&r.Why, "why", "", "why the rule goes")
	}, func(ctx context.Context, api *adminapi.Client, args []string) (any, func(io.Writer) error, error) {
		removed, err := api.RemoveRule(ctx, args[0], r)
		return removed, func(w io.Writer) error { return printRules(w, removed) }, err
	})
}

func auditCommand(e env) int {
	var limit int
	return adminCommand(e, "audit", "audit [-limit N]", nil, func(fs *flag.FlagSet) {
		fs.IntVar(&limit, "limit", 50, "changes to show, newest first")
	}, func(ctx context.Context, api *adminapi.Client, _ []string) (any, func(io.Writer) error, error) {
		audit, err := api.Audit(ctx, limit)
		return audit, func(w io.Writer) error { return printAudit(w, audit.Changes) }, err
	})
}

func statsCommand(e env) int {
	var (
		since time.Duration
		top   int
	)
	return adminCommand(e, "stats", "stats [-since 24h] [-top 10]", nil, func(fs *flag.FlagSet) {
		fs.DurationVar(&since, "since", 24*time.Hour, "cover the events of this last period")
		fs.IntVar(&top, "top", 10, "sites and reports to list")
	}, func(ctx context.Context, api *adminapi.Client, _ []string) (any, func(io.Writer) error, error) {
		s, err := api.Stats(ctx, since, top)
		return s, func(w io.Writer) error { return printStats(w, &s) }, err
	})
}
