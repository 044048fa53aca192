package fakewebrisk

import (
	"bytes"
	"context"
	"testing"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
)

func TestSearchHashes(t *testing.T) {
	_, client := startServer(t, Config{Threats: []Entry{malware, twice, twiceToo, extended}, RandomPrefixes: 100})
	prefix := func(e Entry, n int) []byte { h := e.Hash(); return h[:n] }
	tests := []struct {
		name   string
		prefix []byte
		types  []webriskpb.ThreatType
		want   []webriskpb.ThreatType // of the one match, nil for none
	}{
		{"listed", prefix(malware, 4), ThreatTypes, []webriskpb.ThreatType{webriskpb.ThreatType_MALWARE}},
		{"a longer prefix", prefix(malware, 32), ThreatTypes, []webriskpb.ThreatType{webriskpb.ThreatType_MALWARE}},
		{"on two lists", prefix(twice, 4), ThreatTypes, []webriskpb.ThreatType{webriskpb.ThreatType_SOCIAL_ENGINEERING, webriskpb.ThreatType_UNWANTED_SOFTWARE}},
		{"on a list not asked for", prefix(twice, 4), []webriskpb.ThreatType{webriskpb.ThreatType_MALWARE}, nil},
		{"extended coverage", prefix(extended, 4), ThreatTypes, []webriskpb.ThreatType{webriskpb.ThreatType_SOCIAL_ENGINEERING_EXTENDED_COVERAGE}},
		{"not listed", []byte("none"), ThreatTypes, nil},
	}
	for _, tt := range tests {
		resp, err := client.SearchHashes(context.Background(), &webriskpb.SearchHashesRequest{HashPrefix: tt.prefix, ThreatTypes: tt.types})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if resp.GetNegativeExpireTime() == nil {
			t.Errorf("%s: no negative_expire_time", tt.name)
		}
		if tt.want == nil {
			if len(resp.GetThreats()) != 0 {
				t.Errorf("%s: %v, want no match", tt.name, resp.GetThreats())
			}
			continue
		}
		if len(resp.GetThreats()) != 1 {
			t.Fatalf("%s: %d matches, want 1", tt.name, len(resp.GetThreats()))
		}
		m := resp.GetThreats()[0]
		if !bytes.HasPrefix(m.GetHash(), tt.prefix) || len(m.GetHash()) != 32 || m.GetExpireTime() == nil || !equalTypes(m.GetThreatTypes(), tt.want) {
			t.Errorf("%s: match %v, want the full hash with %v and an expire time", tt.name, m, tt.want)
		}
	}
}

func equalTypes(a, b []webriskpb.ThreatType) bool {
	return len(a) == len(b) && (len(a) == 0 || a[0] == b[0] && equalTypes(a[1:], b[1:]))
}
