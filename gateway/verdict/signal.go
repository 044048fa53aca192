package verdict

import (
	"fmt"
	"slices"
	"strings"
)

// SignalKind is a kind of scam signal in a chat message: what the words of
// the message are after, whatever its links are. The values are stable: the
// security team's pattern files name them, and the rewrite API, events and
// templates carry them.
type SignalKind string

// The signal kinds.
const (
	// SignalCredentialRequest asks the reader for a secret: an OTP or
	// verification code, a password, a PIN, a card number or its CVV.
	SignalCredentialRequest SignalKind = "credential-request"
	// SignalSecretShared is the writer sending their own OTP, verification
	// code, password or PIN.
	SignalSecretShared SignalKind = "secret-shared"
	// SignalOffPlatformPayment asks to pay outside Blibli: to a personal bank
	// account or e-wallet, by a QRIS sent in chat, or after cancelling the
	// order.
	SignalOffPlatformPayment SignalKind = "off-platform-payment"
	// SignalOffPlatformContact moves the conversation off Blibli, to
	// WhatsApp, Telegram, LINE, Instagram, a call or SMS, or gives a number
	// or handle for that.
	SignalOffPlatformContact SignalKind = "off-platform-contact"
	// SignalAPKFile is an Android app file (.apk) offered to install, as a
	// file name, a link or in words.
	SignalAPKFile SignalKind = "apk-file"
)

// SignalKinds lists every SignalKind, in the order signals at the same
// place in a message are reported.
var SignalKinds = []SignalKind{
	SignalCredentialRequest, SignalSecretShared, SignalOffPlatformPayment, SignalOffPlatformContact, SignalAPKFile,
}

// ParseSignalKind returns the SignalKind named s, such as
// "credential-request".
func ParseSignalKind(s string) (SignalKind, error) {
	k, err := parseName("signal kind", SignalKinds, s)
	if err != nil {
		return "", fmt.Errorf("signal: %w", err)
	}
	return k, nil
}

// contextSeparator joins the kinds of a message context; it needs no
// escaping in a query string.
const contextSeparator = "."

// FormatSignalContext returns the c parameter of a gateway link found in a
// message with the given signals: each kind once, in the order of
// SignalKinds, joined by dots ("credential-request.apk-file"). It is empty
// when kinds is.
func FormatSignalContext(kinds []SignalKind) string {
	var b strings.Builder
	for _, k := range SignalKinds {
		if slices.Contains(kinds, k) {
			if b.Len() > 0 {
				b.WriteString(contextSeparator)
			}
			b.WriteString(string(k))
		}
	}
	return b.String()
}

// ParseSignalContext returns the kinds named by the c parameter of a
// gateway link, each once, in the order of SignalKinds. A name it does not
// know, such as a kind a newer replica added, is left out: the context only
// ever adds a warning, and the signature covers the parameter as written.
func ParseSignalContext(c string) []SignalKind {
	if c == "" {
		return nil
	}
	names := strings.Split(c, contextSeparator)
	var out []SignalKind
	for _, k := range SignalKinds {
		if slices.Contains(names, string(k)) {
			out = append(out, k)
		}
	}
	return out
}
