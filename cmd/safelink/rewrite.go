package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/linkify"
	"github.com/blibli/safelink/gateway/linksign"
	"github.com/blibli/safelink/gateway/verdict"
)

// maxRewriteInput bounds the text "safelink rewrite" reads.
const maxRewriteInput = 1 << 20

// signingFlags are the settings of the link signatures.
type signingFlags struct {
	keys    string
	require bool
}

func (s *signingFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.keys, "signing-keys", "", "link signing keys id:base64secret,…: the first signs, all verify (set it in the environment); empty: links are not signed")
	fs.BoolVar(&s.require, "require-signature", false, "never redirect an unsigned or tampered link, even to an official host")
}

// keyring parses the signing keys; nil when none are set.
func (s *signingFlags) keyring() (*linksign.Keyring, error) {
	if s.keys == "" {
		if s.require {
			return nil, fmt.Errorf("require-signature needs signing-keys")
		}
		return nil, nil
	}
	k, err := linksign.ParseKeyring(s.keys)
	if err != nil {
		return nil, fmt.Errorf("signing-keys: %w", err)
	}
	return k, nil
}

// rewriter returns the link rewriter for the gateway at publicURL. A nil
// keyring must reach the rewriter as a nil Signer, not as a Signer holding
// a nil pointer.
func rewriter(publicURL string, keys *linksign.Keyring) (*linkify.Rewriter, error) {
	if keys == nil {
		return linkify.NewRewriter(publicURL, nil)
	}
	return linkify.NewRewriter(publicURL, keys)
}

func rewriteCommand(e env) int {
	var (
		p      policyFlags
		sig    signalsFlags
		a      assetFlags
		s      signingFlags
		asJSON bool
	)
	fs := newFlagSet("rewrite", "rewrite [flags] < message", e.stderr)
	p.register(fs)
	sig.register(fs)
	a.registerTemplates(fs)
	s.register(fs)
	fs.BoolVar(&asJSON, "json", false, "print the links, their offsets and verdicts and the message's signals with their hints as JSON, as the rewrite API does")
	if code := parseOrExit(fs, e); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "safelink rewrite: the message comes on standard input, not as an argument")
		return exitUsage
	}
	keys, err := s.keyring()
	if err != nil {
		fmt.Fprintf(e.stderr, "safelink rewrite: %v\n", err)
		return exitUsage
	}
	policy, _, err := p.load()
	if err != nil {
		fmt.Fprintf(e.stderr, "safelink rewrite: %v\n", err)
		return exitUsage
	}
	rw, err := rewriter(p.publicURL, keys)
	if err != nil {
		fmt.Fprintf(e.stderr, "safelink rewrite: public URL: %v\n", err)
		return exitUsage
	}
	messages, err := rewriteMessages(policy, rw, &sig, &a)
	if err != nil {
		fmt.Fprintf(e.stderr, "safelink rewrite: %v\n", err)
		return exitUsage
	}
	text, err := io.ReadAll(io.LimitReader(e.stdin, maxRewriteInput+1))
	if err != nil {
		fmt.Fprintf(e.stderr, "safelink rewrite: %v\n", err)
		return exitFail
	}
	if len(text) > maxRewriteInput {
		fmt.Fprintf(e.stderr, "safelink rewrite: the message is longer than %d bytes\n", maxRewriteInput)
		return exitUsage
	}
	clicks := &click.Service{Signatures: keys, RequireSignature: s.require}
	m := clicks.RewriteMessage(context.Background(), messages, string(text))
	if asJSON {
		if err := json.NewEncoder(e.stdout).Encode(m); err != nil {
			return exitFail
		}
		return exitOK
	}
	fmt.Fprint(e.stdout, m.Text)
	return exitOK
}

// rewriteMessages gathers what rewriting a message needs: the policy, the
// rewriter, the signal patterns and the hints of the templates.
func rewriteMessages(policy *verdict.Policy, rw *linkify.Rewriter, sig *signalsFlags, a *assetFlags) (*click.Messages, error) {
	detector, err := sig.load()
	if err != nil {
		return nil, err
	}
	set, err := a.templates()
	if err != nil {
		return nil, err
	}
	hints, err := gateway.ReadHints(set)
	if err != nil {
		return nil, err
	}
	return &click.Messages{Policy: policy, Rewriter: rw, Detector: detector, Hints: hints}, nil
}
