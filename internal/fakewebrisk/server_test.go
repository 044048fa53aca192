package fakewebrisk

import (
	"context"
	"strings"
	"testing"
	"time"

	webrisk "cloud.google.com/go/webrisk/apiv1"
	"cloud.google.com/go/webrisk/apiv1/webriskpb"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

func TestRejectsBadRequests(t *testing.T) {
	_, client := startServer(t, Config{})
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{"unspecified threat type", func() error {
			_, err := client.ComputeThreatListDiff(ctx, diffRequest(0, nil, webriskpb.CompressionType_RAW))
			return err
		}},
		{"no constraints", func() error {
			_, err := client.ComputeThreatListDiff(ctx, &webriskpb.ComputeThreatListDiffRequest{ThreatType: webriskpb.ThreatType_MALWARE})
			return err
		}},
		{"short prefix", func() error {
			_, err := client.SearchHashes(ctx, &webriskpb.SearchHashesRequest{HashPrefix: []byte{1, 2, 3}, ThreatTypes: ThreatTypes})
			return err
		}},
		{"no threat types", func() error {
			_, err := client.SearchHashes(ctx, &webriskpb.SearchHashesRequest{HashPrefix: []byte{1, 2, 3, 4}})
			return err
		}},
		{"unknown threat type", func() error {
			_, err := client.SearchHashes(ctx, &webriskpb.SearchHashesRequest{HashPrefix: []byte{1, 2, 3, 4}, ThreatTypes: []webriskpb.ThreatType{9}})
			return err
		}},
	}
	for _, tt := range tests {
		if err := tt.call(); status.Code(err) != codes.InvalidArgument {
			t.Errorf("%s: %v, want InvalidArgument", tt.name, err)
		}
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		name        string
		failure     Failure
		compression webriskpb.CompressionType
		want        codes.Code // of the call
		wantApply   string     // of applying the update
	}{
		{"unavailable", FailureUnavailable, webriskpb.CompressionType_RAW, codes.Unavailable, ""},
		{"quota", FailureResourceExhausted, webriskpb.CompressionType_RAW, codes.ResourceExhausted, ""},
		{"bad checksum", FailureBadChecksum, webriskpb.CompressionType_RAW, codes.OK, "checksum mismatch"},
		{"bad checksum, RICE", FailureBadChecksum, webriskpb.CompressionType_RICE, codes.OK, "checksum mismatch"},
		{"bad RICE", FailureBadRice, webriskpb.CompressionType_RICE, codes.OK, "rice: entry_count 3 needs at least 87 bits"},
		{"bad RICE to a RAW client", FailureBadRice, webriskpb.CompressionType_RAW, codes.OK, "rice: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, client := startServer(t, Config{Threats: []Entry{malware}, RandomPrefixes: 10})
			srv.SetFailure(tt.failure)
			resp, err := client.ComputeThreatListDiff(context.Background(), diffRequest(webriskpb.ThreatType_MALWARE, nil, tt.compression), noRetry)
			if status.Code(err) != tt.want {
				t.Fatalf("call: %v, want %v", err, tt.want)
			}
			if err == nil {
				l := &localList{compression: tt.compression}
				if err := l.apply(resp); err == nil || !strings.Contains(err.Error(), tt.wantApply) {
					t.Errorf("applying the update: %v, want an error containing %q", err, tt.wantApply)
				}
			}
			if tt.want != codes.OK {
				_, err := client.SearchHashes(context.Background(), &webriskpb.SearchHashesRequest{HashPrefix: []byte("abcd"), ThreatTypes: ThreatTypes}, noRetry)
				if status.Code(err) != tt.want {
					t.Errorf("SearchHashes: %v, want %v", err, tt.want)
				}
			}

			srv.SetFailure(FailureNone)
			l := &localList{threatType: webriskpb.ThreatType_MALWARE, compression: tt.compression}
			if _, err := l.update(context.Background(), client); err != nil {
				t.Errorf("after FailureNone: %v", err)
			}
		})
	}
}

func TestOfficialClientRetriesUnavailable(t *testing.T) {
	srv, client := startServer(t, Config{})
	srv.SetFailure(FailureUnavailable)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := client.ComputeThreatListDiff(ctx, diffRequest(webriskpb.ThreatType_MALWARE, nil, webriskpb.CompressionType_RAW)); err == nil {
		t.Fatal("a call to a server that is down succeeded")
	}
	if n := srv.Calls(webriskpb.WebRiskService_ComputeThreatListDiff_FullMethodName); n < 2 {
		t.Errorf("the client called %d times within its deadline, want retries", n)
	}
}

func TestDelay(t *testing.T) {
	srv, client := startServer(t, Config{})
	srv.SetDelay(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := client.SearchHashes(ctx, &webriskpb.SearchHashesRequest{HashPrefix: []byte("abcd"), ThreatTypes: ThreatTypes}, noRetry); status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("call to a slow server: %v, want DeadlineExceeded", err)
	}
	srv.SetDelay(10 * time.Millisecond)
	if _, err := client.SearchHashes(context.Background(), &webriskpb.SearchHashesRequest{HashPrefix: []byte("abcd"), ThreatTypes: ThreatTypes}); err != nil {
		t.Errorf("call with a short delay: %v", err)
	}
}

func TestStopEndsDelayedCalls(t *testing.T) {
	srv, client := startServer(t, Config{})
	srv.SetDelay(time.Hour)
	errs := make(chan error, 1)
	go func() {
		_, err := client.SearchHashes(context.Background(), &webriskpb.SearchHashesRequest{HashPrefix: []byte("abcd"), ThreatTypes: ThreatTypes}, noRetry)
		errs <- err
	}()
	for srv.Calls(webriskpb.WebRiskService_SearchHashes_FullMethodName) == 0 {
		time.Sleep(time.Millisecond)
	}
	srv.Stop()
	if err := <-errs; err == nil {
		t.Error("a delayed call got an answer from a stopped server")
	}
	_, err := client.SearchHashes(context.Background(), &webriskpb.SearchHashesRequest{HashPrefix: []byte("abcd"), ThreatTypes: ThreatTypes}, noRetry)
	if status.Code(err) != codes.Unavailable {
		t.Errorf("call to a stopped server: %v, want Unavailable", err)
	}
}

func TestCallsAndAPIKey(t *testing.T) {
	srv, client := startServer(t, Config{})
	const key = "test-key-1234"
	ctx := metadata.AppendToOutgoingContext(context.Background(), APIKeyHeader, key)
	if _, err := client.ComputeThreatListDiff(ctx, diffRequest(webriskpb.ThreatType_MALWARE, nil, webriskpb.CompressionType_RICE)); err != nil {
		t.Fatal(err)
	}
	if got := srv.APIKey(); got != key {
		t.Errorf("APIKey() = %q, want %q", got, key)
	}
	for range 2 {
		if _, err := client.SearchHashes(context.Background(), &webriskpb.SearchHashesRequest{HashPrefix: []byte("abcd"), ThreatTypes: ThreatTypes}); err != nil {
			t.Fatal(err)
		}
	}
	if got := srv.APIKey(); got != "" {
		t.Errorf("APIKey() after a call without a key = %q, want none", got)
	}
	for method, want := range map[string]int{
		webriskpb.WebRiskService_ComputeThreatListDiff_FullMethodName: 1,
		webriskpb.WebRiskService_SearchHashes_FullMethodName:          2,
		webriskpb.WebRiskService_SearchUris_FullMethodName:            0,
	} {
		if got := srv.Calls(method); got != want {
			t.Errorf("Calls(%s) = %d, want %d", method, got, want)
		}
	}
}

// TestOfficialClientRefusesAPIKeyOptionWithoutTLS pins why a client of a
// plaintext endpoint sends its key as metadata (see TestCallsAndAPIKey):
// the official client will not send option.WithAPIKey without TLS.
func TestOfficialClientRefusesAPIKeyOptionWithoutTLS(t *testing.T) {
	srv, _ := startServer(t, Config{})
	client, err := webrisk.NewClient(context.Background(),
		option.WithEndpoint(srv.Addr()),
		option.WithAPIKey("test-key-1234"),
		option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())))
	if err == nil {
		defer client.Close()
		_, err = client.SearchHashes(context.Background(), &webriskpb.SearchHashesRequest{HashPrefix: []byte("abcd"), ThreatTypes: ThreatTypes}, noRetry)
	}
	if err == nil || !strings.Contains(err.Error(), "transport level security") {
		t.Errorf("official client with an API key option over plaintext: %v, want a refusal", err)
	}
	if n := srv.Calls(webriskpb.WebRiskService_SearchHashes_FullMethodName); n != 0 {
		t.Errorf("the server received %d calls, want none", n)
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"negative random prefixes", Config{RandomPrefixes: -1}, "-1 random prefixes is outside"},
		{"random prefixes of an unknown type", Config{RandomPrefixes: 1, RandomType: 9}, "random prefixes for threat type 9"},
		{"an entry of no type", Config{Threats: []Entry{{Expression: "a.example/"}}}, `entry "a.example/" has threat type THREAT_TYPE_UNSPECIFIED`},
	}
	for _, tt := range tests {
		if _, err := New(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: New error %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
	srv, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Add(malware, Entry{Type: 9, Expression: "b.example/"}); err == nil {
		t.Error("Add accepted an entry of an unknown type")
	}
	if n := len(srv.lists[webriskpb.ThreatType_MALWARE].versions); n != 1 {
		t.Errorf("a refused Add made %d versions, want none", n-1)
	}
}
