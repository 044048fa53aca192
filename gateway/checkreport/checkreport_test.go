package checkreport_test

import (
	"reflect"
	"testing"

	"github.com/blibli/safelink/gateway/checkreport"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
)

func TestLinesNameWhatDecided(t *testing.T) {
	tests := []struct {
		name string
		v    verdict.Verdict
		want []checkreport.Line
	}{
		{"redirect", verdict.Verdict{Action: verdict.Redirect, Target: "https://www.blibli.com/", Site: "blibli.com"},
			[]checkreport.Line{{"action", "redirect"}, {"target", "https://www.blibli.com/"}, {"site", "blibli.com"}, {"lists", "off"}}},
		{"invalid", verdict.Verdict{Action: verdict.Invalid, Problem: weburl.Problem("scheme")},
			[]checkreport.Line{{"action", "invalid"}, {"problem", "scheme"}, {"lists", "off"}}},
		{"blocked by a rule", verdict.Verdict{Action: verdict.Block, Target: "https://toko.xyz/", Site: "toko.xyz",
			Rule: &verdict.Rule{ID: "r1", Action: verdict.RuleBlock, Reason: "phishing"}},
			[]checkreport.Line{{"action", "block"}, {"target", "https://toko.xyz/"}, {"site", "toko.xyz"}, {"rule", "r1 block: phishing"}, {"lists", "off"}}},
		{"blocked by a list", verdict.Verdict{Action: verdict.Block, Target: "https://toko.xyz/", Site: "toko.xyz", Hops: 1,
			Threats: []verdict.Threat{"SOCIAL_ENGINEERING"}, Sources: []verdict.Source{verdict.SourceWebRisk}},
			[]checkreport.Line{{"action", "block"}, {"target", "https://toko.xyz/"}, {"site", "toko.xyz"}, {"threats", "SOCIAL_ENGINEERING"},
				{"sources", string(verdict.SourceWebRisk)}, {"lists", "off"}, {"unwrapped", "1 gateway link(s)"}}},
		{"warn", verdict.Verdict{Action: verdict.Warn, Reasons: []verdict.Reason{verdict.ReasonExternal, verdict.ReasonLookalike},
			Target: "https://xn--blbli-0sa.com/", Site: "xn--blbli-0sa.com", Imitates: "blibli.com"},
			[]checkreport.Line{{"action", "warn"}, {"reasons", "external, lookalike"}, {"target", "https://xn--blbli-0sa.com/"},
				{"site", "blíbli.com (xn--blbli-0sa.com)"}, {"imitates", "blibli.com"}, {"lists", "off"}}},
	}
	for _, tt := range tests {
		if got := checkreport.Lines(&tt.v, "off"); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.name, got, tt.want)
		}
	}
}
