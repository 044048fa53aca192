// Command safelink runs the safe-link gateway and the tools around it.
//
//	safelink serve             run the gateway
//	safelink check URL…        explain the decision on each URL
//	safelink rewrite           rewrite the links of a chat message
//	safelink allowlist lint    validate allowlist files
//	safelink signals lint|test validate the signal patterns; show what a message raises
//	safelink templates check   render every page variant from the templates
//	safelink rule add|ls|rm    manage the emergency rules (admin API)
//	safelink audit             the audit log of the rules
//	safelink stats             click and report statistics
//	safelink version           the version and commit of this binary
//
// Every flag can also be set with an environment variable: SAFELINK_ and
// the flag name in capitals with "-" as "_" (-public-url is
// SAFELINK_PUBLIC_URL). A flag on the command line wins.
package main

import (
	"fmt"
	"io"
	"os"
)

// env is what a command reads from its surroundings, so tests can run it
// in process.
type env struct {
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and found a problem
	exitUsage = 2 // bad command line or configuration
)

func main() {
	os.Exit(run(env{args: os.Args[1:], stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

const usage = `safelink: a safe-link gateway for Blibli chat

Usage:
  safelink serve [flags]                 run the gateway
  safelink check [flags] URL...          explain the decision on each URL
  safelink rewrite [flags] < message     rewrite the links of a chat message into gateway links
  safelink allowlist lint [DIR]          validate allowlist files (default: the embedded ones)
  safelink signals lint [flags]          validate the signal pattern files (default: the embedded ones)
  safelink signals test [flags] MSG...   show the scam signals each message raises, and the pattern lines behind them
  safelink templates check [DIR]         render every page variant with the overrides in DIR
  safelink rule add|ls|rm [flags]        manage the emergency rules of a running gateway
  safelink audit [flags]                 show who changed which rule, when and why
  safelink stats [flags]                 top clicked sites, click-through per reason, recent reports
  safelink version                       the module version and the commit this binary was built from

Run "safelink COMMAND -h" for the flags of a command. Every flag can also be
set with its SAFELINK_* environment variable, listed there.
`

func run(e env) int {
	if len(e.args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return exitUsage
	}
	cmd, rest := e.args[0], e.args[1:]
	e.args = rest
	switch cmd {
	case "serve":
		return serve(e)
	case "check":
		return check(e)
	case "allowlist":
		if len(rest) > 0 && rest[0] == "lint" {
			e.args = rest[1:]
			return lintAllowlist(e)
		}
		fmt.Fprint(e.stderr, "safelink allowlist: expected \"lint\"\n\n"+usage)
		return exitUsage
	case "signals":
		return signalsCommand(e)
	case "rewrite":
		return rewriteCommand(e)
	case "rule":
		return ruleCommand(e)
	case "audit":
		return auditCommand(e)
	case "stats":
		return statsCommand(e)
	case "version":
		return versionCommand(e)
	case "templates":
		if len(rest) > 0 && rest[0] == "check" {
			e.args = rest[1:]
			return checkTemplates(e)
		}
		fmt.Fprint(e.stderr, "safelink templates: expected \"check\"\n\n"+usage)
		return exitUsage
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, usage)
		return exitOK
	}
	fmt.Fprintf(e.stderr, "safelink: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}
