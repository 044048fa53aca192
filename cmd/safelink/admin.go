package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/blibli/safelink/gateway/events"
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

// call sends a request to the admin API and decodes its JSON answer into
// out, or returns the API's error message.
func (a *adminFlags) call(method, path string, query url.Values, body, out any) error {
	u, err := url.Parse(strings.TrimSuffix(a.url, "/") + path)
	if err != nil {
		return fmt.Errorf("admin-url: %w", err)
	}
	u.RawQuery = query.Encode()
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u.String(), reader)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var apiErr struct{ Error string }
		if json.Unmarshal(raw, &apiErr) == nil && apiErr.Error != "" {
			return fmt.Errorf("%s: %s", resp.Status, apiErr.Error)
		}
		return fmt.Errorf("%s", resp.Status)
	}
	return json.Unmarshal(raw, out)
}

// adminCommand parses the flags of an admin command and runs it; run gets
// the positional arguments.
func adminCommand(e env, name, synopsis string, define func(*flag.FlagSet), run func(a *adminFlags, args []string) error) int {
	var a adminFlags
	fs := newFlagSet(name, synopsis, e.stderr)
	a.register(fs)
	if define != nil {
		define(fs)
	}
	if code := parseOrExit(fs, e); code >= 0 {
		return code
	}
	if err := run(&a, fs.Args()); err != nil {
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
	var r struct {
		rules.Rule
		ExpiresIn string `json:"expires_in,omitempty"`
	}
	var match, action string
	return adminCommand(e, "rule add", "rule add -match domain|host|url-prefix -value V -action block|warn|allow -reason TEXT -by NAME [-expires-in 24h]",
		func(fs *flag.FlagSet) {
			fs.StringVar(&match, "match", "domain", "what the value is: domain (with subdomains), host, or url-prefix")
			fs.StringVar(&r.Value, "value", "", "the domain, host or URL prefix")
			fs.StringVar(&action, "action", "block", "block, warn or allow")
			fs.StringVar(&r.Reason, "reason", "", "why; shown to users on warn and block pages")
			fs.StringVar(&r.CreatedBy, "by", os.Getenv("USER"), "who adds the rule")
			fs.StringVar(&r.ExpiresIn, "expires-in", "", "remove the rule after this long, e.g. 90m, 24h, 7d; empty: never")
		},
		func(a *adminFlags, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unexpected argument %q", args[0])
			}
			r.Match, r.Action = rules.Kind(match), verdict.RuleAction(action)
			var added rules.Rule
			if err := a.call(http.MethodPost, "/admin/v1/rules", nil, r, &added); err != nil {
				return err
			}
			return printRules(e, a, []rules.Rule{added}, added)
		})
}

func ruleList(e env) int {
	return adminCommand(e, "rule ls", "rule ls", nil, func(a *adminFlags, args []string) error {
		var list struct {
			Rules    []rules.Rule `json:"rules"`
			Revision uint64       `json:"revision"`
		}
		if err := a.call(http.MethodGet, "/admin/v1/rules", nil, nil, &list); err != nil {
			return err
		}
		return printRules(e, a, list.Rules, list)
	})
}

func ruleRemove(e env) int {
	var by, why string
	return adminCommand(e, "rule rm", "rule rm -by NAME -why TEXT ID", func(fs *flag.FlagSet) {
		fs.StringVar(&by, "by", os.Getenv("USER"), "who removes the rule")
		fs.StringVar(&why, "why", "", "why the rule goes")
	}, func(a *adminFlags, args []string) error {
		if len(args) != 1 {
			return fmt.Errorf("give the ID of one rule")
		}
		var removed rules.Rule
		if err := a.call(http.MethodDelete, "/admin/v1/rules/"+url.PathEscape(args[0]), nil, map[string]string{"by": by, "why": why}, &removed); err != nil {
			return err
		}
		return printRules(e, a, []rules.Rule{removed}, removed)
	})
}

// printRules prints rules as a table, or the answer as JSON.
func printRules(e env, a *adminFlags, list []rules.Rule, answer any) error {
	if a.asJSON {
		return printJSON(e, answer)
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tMATCH\tVALUE\tACTION\tEXPIRES\tBY\tREASON")
	for _, r := range list {
		expires := "never"
		if !r.ExpiresAt.IsZero() {
			expires = r.ExpiresAt.Local().Format(time.DateTime)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Match, r.Value, r.Action, expires, r.CreatedBy, r.Reason)
	}
	return w.Flush()
}

func auditCommand(e env) int {
	var limit int
	return adminCommand(e, "audit", "audit [-limit N]", func(fs *flag.FlagSet) {
		fs.IntVar(&limit, "limit", 50, "changes to show, newest first")
	}, func(a *adminFlags, args []string) error {
		var answer struct {
			Changes []rules.Change `json:"changes"`
		}
		if err := a.call(http.MethodGet, "/admin/v1/audit", url.Values{"limit": {fmt.Sprint(limit)}}, nil, &answer); err != nil {
			return err
		}
		if a.asJSON {
			return printJSON(e, answer)
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "WHEN\tOP\tBY\tRULE\tMATCH\tVALUE\tACTION\tWHY")
		for _, c := range answer.Changes {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Time.Local().Format(time.DateTime), c.Op, c.By,
				c.Rule.ID, c.Rule.Match, c.Rule.Value, c.Rule.Action, c.Why)
		}
		return w.Flush()
	})
}

func statsCommand(e env) int {
	var (
		since time.Duration
		top   int
	)
	return adminCommand(e, "stats", "stats [-since 24h] [-top 10]", func(fs *flag.FlagSet) {
		fs.DurationVar(&since, "since", 24*time.Hour, "cover the events of this last period")
		fs.IntVar(&top, "top", 10, "sites and reports to list")
	}, func(a *adminFlags, args []string) error {
		var s events.Stats
		if err := a.call(http.MethodGet, "/admin/v1/stats", url.Values{"since": {since.String()}, "top": {fmt.Sprint(top)}}, nil, &s); err != nil {
			return err
		}
		if a.asJSON {
			return printJSON(e, s)
		}
		printStats(e, &s)
		return nil
	})
}

func printStats(e env, s *events.Stats) {
	fmt.Fprintf(e.stdout, "Since %s: %d clicks, %d click-throughs, %d reports\n", s.Since.Local().Format(time.DateTime), s.Decisions, s.Continues, s.Reports)
	if s.Truncated {
		fmt.Fprintln(e.stdout, "(only the newest events were read)")
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "\nTOP SITES\tCLICKS")
	for _, site := range s.TopSites {
		fmt.Fprintf(w, "%s\t%d\n", site.Site, site.Clicks)
	}
	fmt.Fprintln(w, "\nREASON\tWARNED\tCONTINUED\tRATE")
	for _, r := range s.Reasons {
		fmt.Fprintf(w, "%s\t%d\t%d\t%.1f%%\n", r.Reason, r.Warnings, r.Continues, 100*r.Rate)
	}
	w.Flush()
	fmt.Fprintln(e.stdout, "\nRecent reports:")
	for _, r := range s.RecentReports {
		fmt.Fprintf(e.stdout, "  %s  %-15s %-20s %s\n", r.Time.Local().Format(time.DateTime), r.Category, r.Site, r.Comment)
	}
}

func printJSON(e env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
