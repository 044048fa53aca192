package linksign

import "strconv"

// Status is what the gateway knows of a link's origin from its signature.
type Status int

const (
	// Unsigned: the link carries no signature.
	Unsigned Status = iota
	// SignedValid: the signature was made by the gateway for this target.
	SignedValid
	// Tampered: the signature does not match the target, names an unknown
	// key, or is malformed.
	Tampered
)

// String returns "unsigned", "signed-valid" or "tampered".
func (s Status) String() string {
	switch s {
	case Unsigned:
		return "unsigned"
	case SignedValid:
		return "signed-valid"
	case Tampered:
		return "tampered"
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// Check classifies the decoded u, c and s query values of a /go request.
// An empty s is Unsigned. A nil Keyring (a gateway without keys) verifies
// nothing, so every signature is Tampered.
func (k *Keyring) Check(u, c, s string) Status {
	switch {
	case s == "":
		return Unsigned
	case k == nil || k.Verify(u, c, s) != nil:
		return Tampered
	}
	return SignedValid
}
