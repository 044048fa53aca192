package click

import (
	"testing"

	"github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/allowlist"
	"github.com/blibli/safelink/gateway/verdict"
)

// embeddedPolicy is the policy of the embedded allowlist for the gateway
// at https://link.blibli.com.
func embeddedPolicy(t testing.TB) *verdict.Policy {
	t.Helper()
	lists, err := allowlist.Load(safelink.Allowlist())
	if err != nil {
		t.Fatal(err)
	}
	policy, err := NewPolicy(lists, "https://link.blibli.com")
	if err != nil {
		t.Fatal(err)
	}
	return policy
}

func TestNewPolicyRefusesABadPublicURL(t *testing.T) {
	lists, err := allowlist.Load(safelink.Allowlist())
	if err != nil {
		t.Fatal(err)
	}
	for _, public := range []string{"link.blibli.com", "ftp://link.blibli.com", "https://link.blibli.com/?a=b", "https://u@link.blibli.com"} {
		if _, err := NewPolicy(lists, public); err == nil {
			t.Errorf("NewPolicy accepted public URL %q", public)
		}
	}
	p, err := NewPolicy(lists, "https://example.com/safe/")
	if err != nil {
		t.Fatal(err)
	}
	if v := p.Decide("https://example.com/safe/go?u=https://www.blibli.com/"); v.Target != "https://www.blibli.com/" {
		t.Errorf("a gateway link under a base path was not unwrapped: %q", v.Target)
	}
}
