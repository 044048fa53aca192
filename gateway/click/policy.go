package click

import (
	"fmt"
	"strings"

	"github.com/blibli/safelink/gateway/allowlist"
	"github.com/blibli/safelink/gateway/lookalike"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
)

// GoPath is the path of the click endpoint under the public URL.
const GoPath = "/go"

// NewPolicy builds the decision policy from the allowlist and the gateway's
// public URL (the base of its /go links, such as https://link.blibli.com).
func NewPolicy(lists *allowlist.Lists, publicURL string) (*verdict.Policy, error) {
	u, err := weburl.Parse(publicURL)
	if err != nil {
		return nil, fmt.Errorf("public URL %q: %w", publicURL, err)
	}
	if u.User != "" || u.HasQuery || u.HasFrag {
		return nil, fmt.Errorf("public URL %q: only scheme, host, port and path are allowed", publicURL)
	}
	return &verdict.Policy{
		Lists:       lists,
		Lookalikes:  lookalike.New(lists.OfficialDomains()),
		GatewayHost: u.Hostport(),
		GatewayPath: strings.TrimSuffix(u.Path, "/") + GoPath,
	}, nil
}
