package fakewebrisk

import (
	"context"
	"testing"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
)

var compressions = []webriskpb.CompressionType{webriskpb.CompressionType_RAW, webriskpb.CompressionType_RICE}

func TestResetThenDiffs(t *testing.T) {
	for _, compression := range compressions {
		t.Run(compression.String(), func(t *testing.T) {
			srv, client := startServer(t, Config{Threats: []Entry{malware, download, phishing}, RandomPrefixes: 1000, Seed: 3})
			ctx := context.Background()
			l := &localList{threatType: webriskpb.ThreatType_MALWARE, compression: compression}

			resp, err := l.update(ctx, client)
			if err != nil {
				t.Fatal(err)
			}
			checkUpdate(t, resp, webriskpb.ComputeThreatListDiffResponse_RESET, compression)
			if len(l.prefixes) != 1002 || !l.has(malware) || !l.has(download) || l.has(phishing) {
				t.Fatalf("after the RESET: %d prefixes; want 1002 with malware and download but not phishing", len(l.prefixes))
			}

			added := Entry{Type: webriskpb.ThreatType_MALWARE, Expression: "new-malware.example/"}
			srv.Remove(malware, download, phishing)
			if err := srv.Add(added); err != nil {
				t.Fatal(err)
			}
			resp, err = l.update(ctx, client)
			if err != nil {
				t.Fatal(err)
			}
			checkUpdate(t, resp, webriskpb.ComputeThreatListDiffResponse_DIFF, compression)
			if l.has(malware) || l.has(download) || !l.has(added) || len(l.prefixes) != 1001 {
				t.Errorf("after the DIFF: %d prefixes, removed ones listed or the added one not; want 1001", len(l.prefixes))
			}

			resp, err = l.update(ctx, client)
			if err != nil || resp.GetAdditions() != nil || resp.GetRemovals() != nil {
				t.Errorf("DIFF without a change = %v, %v; want no additions or removals", resp, err)
			}
		})
	}
}

// checkUpdate checks an update's type, encoding, and the fields every
// update carries.
func checkUpdate(t *testing.T, resp *webriskpb.ComputeThreatListDiffResponse, want webriskpb.ComputeThreatListDiffResponse_ResponseType, compression webriskpb.CompressionType) {
	t.Helper()
	if resp.GetResponseType() != want {
		t.Errorf("response type %v, want %v", resp.GetResponseType(), want)
	}
	rice := compression == webriskpb.CompressionType_RICE
	if a := resp.GetAdditions(); a == nil || (a.GetRiceHashes() != nil) != rice || (len(a.GetRawHashes()) > 0) == rice {
		t.Errorf("additions %v, want them %v", a, compression)
	}
	if r := resp.GetRemovals(); r != nil && ((r.GetRiceIndices() != nil) != rice || (r.GetRawIndices() != nil) == rice) {
		t.Errorf("removals %v, want them %v", r, compression)
	}
	if len(resp.GetNewVersionToken()) == 0 || resp.GetRecommendedNextDiff() == nil || len(resp.GetChecksum().GetSha256()) != 32 {
		t.Errorf("update without a token, a next diff or a checksum: %v", resp)
	}
}

func TestEveryListResets(t *testing.T) {
	_, client := startServer(t, Config{Threats: []Entry{malware, phishing, twiceToo, extended}})
	for _, typ := range ThreatTypes {
		l := &localList{threatType: typ, compression: webriskpb.CompressionType_RICE}
		if _, err := l.update(context.Background(), client); err != nil || len(l.prefixes) != 1 {
			t.Errorf("%v: %d prefixes, %v; want 1", typ, len(l.prefixes), err)
		}
	}
}

func TestUnknownTokensGetAReset(t *testing.T) {
	srv, client := startServer(t, Config{Threats: []Entry{malware}})
	l := &localList{threatType: webriskpb.ThreatType_MALWARE, compression: webriskpb.CompressionType_RAW}
	if _, err := l.update(context.Background(), client); err != nil {
		t.Fatal(err)
	}
	first := l.token
	for range keptVersions {
		srv.Add(Entry{Type: webriskpb.ThreatType_MALWARE, Expression: "more.example/"})
		srv.Remove(Entry{Type: webriskpb.ThreatType_MALWARE, Expression: "more.example/"})
	}
	for _, token := range [][]byte{nil, []byte("MALWARE/999"), []byte("SOCIAL_ENGINEERING/1"), []byte("\xff\x00"), first} {
		resp, err := client.ComputeThreatListDiff(context.Background(), diffRequest(webriskpb.ThreatType_MALWARE, token, webriskpb.CompressionType_RAW))
		if err != nil || resp.GetResponseType() != webriskpb.ComputeThreatListDiffResponse_RESET {
			t.Errorf("token %q: %v, %v; want a RESET", token, resp.GetResponseType(), err)
		}
	}
}

func TestLargeList(t *testing.T) {
	for _, compression := range compressions {
		_, client := startServer(t, Config{Threats: []Entry{malware}, RandomPrefixes: 200_000, Seed: 5})
		l := &localList{threatType: webriskpb.ThreatType_MALWARE, compression: compression}
		if _, err := l.update(context.Background(), client); err != nil || len(l.prefixes) != 200_001 || !l.has(malware) {
			t.Errorf("%v: %d prefixes, %v; want 200001 with malware", compression, len(l.prefixes), err)
		}
	}
}

// BenchmarkFirstReset measures what a client of a new server with a list
// of a million prefixes waits for: building the lists, and the first RESET
// through the official client.
func BenchmarkFirstReset(b *testing.B) {
	for _, compression := range compressions {
		b.Run(compression.String(), func(b *testing.B) {
			for b.Loop() {
				srv, client := startServer(b, Config{RandomPrefixes: 1_000_000, Seed: 1})
				resp, err := client.ComputeThreatListDiff(context.Background(), diffRequest(webriskpb.ThreatType_MALWARE, nil, compression))
				if err != nil || resp.GetAdditions() == nil {
					b.Fatalf("RESET: %v", err)
				}
				client.Close()
				srv.Stop()
			}
		})
	}
}
