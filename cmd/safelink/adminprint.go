package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/blibli/safelink/gateway/adminapi"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// printRules prints rules as a table.
func printRules(out io.Writer, list ...rules.Rule) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tMATCH\tVALUE\tACTION\tEXPIRES\tAUTHOR\tNOTE\tREASON")
	for _, r := range list {
		expires := "never"
		if !r.ExpiresAt.IsZero() {
			expires = r.ExpiresAt.Local().Format(time.DateTime)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Match, r.Value, r.Action, expires,
			orDash(r.Author), orDash(r.CreatedBy), printable(r.Reason))
	}
	return w.Flush()
}

// printAudit prints changes to the rules as a table. A change made before
// tokens had names has no author; its note is who the caller said.
func printAudit(out io.Writer, changes []rules.Change) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "WHEN\tOP\tAUTHOR\tNOTE\tRULE\tMATCH\tVALUE\tACTION\tWHY")
	for _, c := range changes {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Time.Local().Format(time.DateTime), c.Op,
			orDash(c.Author), orDash(c.Note), c.Rule.ID, c.Rule.Match, c.Rule.Value, c.Rule.Action, printable(c.Why))
	}
	return w.Flush()
}

// orDash is printable(s), or "-" for an empty s, so that every column of
// a row has a value.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return printable(s)
}

// printStats prints statistics as text and tables.
func printStats(out io.Writer, s *adminapi.Stats) error {
	fmt.Fprintf(out, "Since %s: %d clicks, %d click-throughs, %d reports\n", s.Since.Local().Format(time.DateTime), s.Decisions, s.Continues, s.Reports)
	fmt.Fprint(out, "Clicks by action:")
	for _, a := range verdict.Actions {
		fmt.Fprintf(out, " %s %d", a, s.Actions[a])
	}
	fmt.Fprintln(out)
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "\nTOP SITES\tCLICKS\tWARNED\tBLOCKED")
	for _, site := range s.TopSites {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\n", printable(site.Site), site.Clicks, site.Warned, site.Blocked)
	}
	if s.OtherClicks > 0 {
		fmt.Fprintf(w, "(other or none)\t%d\t\t\n", s.OtherClicks)
	}
	fmt.Fprintln(w, "\nREASON\tWARNED\tCONTINUED\tRATE")
	for _, r := range s.Reasons {
		fmt.Fprintf(w, "%s\t%d\t%d\t%.1f%%\n", printable(r.Reason), r.Warnings, r.Continues, 100*r.Rate)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nRecent reports:")
	for _, r := range s.RecentReports {
		fmt.Fprintf(out, "  %s  %-15s %-20s %s\n", r.Time.Local().Format(time.DateTime), printable(r.Category), printable(r.Site), printable(r.Comment))
	}
	return nil
}

// printable returns s, which users wrote, fit for a terminal: control and
// invisible formatting characters (line breaks, escape sequences, bidi
// overrides) escaped as Go writes them, so a report cannot forge lines of
// the table or drive the terminal.
func printable(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

func printJSON(e env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
