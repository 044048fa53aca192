package fakewebrisk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"testing"

	webrisk "cloud.google.com/go/webrisk/apiv1"
	"cloud.google.com/go/webrisk/apiv1/webriskpb"
	"github.com/blibli/safelink/gateway/threat/rice"
	"github.com/googleapis/gax-go/v2"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// The entries of the servers the tests start.
var (
	malware  = Entry{Type: webriskpb.ThreatType_MALWARE, Expression: "malware.example/"}
	download = Entry{Type: webriskpb.ThreatType_MALWARE, Expression: "downloads.example/files/invoice.exe"}
	phishing = Entry{Type: webriskpb.ThreatType_SOCIAL_ENGINEERING, Expression: "phishing.example/"}
	// listed twice, as phishing and as unwanted software
	twice    = Entry{Type: webriskpb.ThreatType_SOCIAL_ENGINEERING, Expression: "evil.blibli.com/"}
	twiceToo = Entry{Type: webriskpb.ThreatType_UNWANTED_SOFTWARE, Expression: "evil.blibli.com/"}
	extended = Entry{Type: webriskpb.ThreatType_SOCIAL_ENGINEERING_EXTENDED_COVERAGE, Expression: "maybe-phishing.example/"}
)

// noRetry stops the official client from retrying Unavailable and
// DeadlineExceeded, which it does by default for up to 600 s.
var noRetry = gax.WithRetry(func() gax.Retryer { return nil })

// startServer starts a server of cfg and returns it with an official
// client connected to it.
func startServer(t testing.TB, cfg Config) (*Server, *webrisk.Client) {
	t.Helper()
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	client, err := webrisk.NewClient(context.Background(),
		option.WithEndpoint(srv.Addr()),
		option.WithoutAuthentication(),
		option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return srv, client
}

// diffRequest asks for the update of list t from token, RICE or RAW.
func diffRequest(t webriskpb.ThreatType, token []byte, compression webriskpb.CompressionType) *webriskpb.ComputeThreatListDiffRequest {
	return &webriskpb.ComputeThreatListDiffRequest{
		ThreatType:   t,
		VersionToken: token,
		Constraints:  &webriskpb.ComputeThreatListDiffRequest_Constraints{SupportedCompressions: []webriskpb.CompressionType{compression}},
	}
}

// localList is what a client keeps of a list, updated as the protocol says.
type localList struct {
	threatType  webriskpb.ThreatType
	compression webriskpb.CompressionType
	prefixes    [][4]byte // in byte order
	token       []byte
}

// update asks the server for the update of the list and applies it.
func (l *localList) update(ctx context.Context, client *webrisk.Client) (*webriskpb.ComputeThreatListDiffResponse, error) {
	resp, err := client.ComputeThreatListDiff(ctx, diffRequest(l.threatType, l.token, l.compression))
	if err != nil {
		return nil, err
	}
	return resp, l.apply(resp)
}

// apply applies an update: on a RESET, to an empty list; the removals, then
// the additions; then it checks the checksum.
func (l *localList) apply(resp *webriskpb.ComputeThreatListDiffResponse) error {
	prefixes := l.prefixes
	if resp.GetResponseType() == webriskpb.ComputeThreatListDiffResponse_RESET {
		prefixes = nil
	}
	removed, err := rice.DecodeIndices(resp.GetRemovals().GetRiceIndices())
	if err != nil {
		return err
	}
	removed = append(removed, resp.GetRemovals().GetRawIndices().GetIndices()...)
	var kept [][4]byte
	for i, p := range prefixes {
		if !slices.Contains(removed, int32(i)) {
			kept = append(kept, p)
		}
	}
	if len(kept) != len(prefixes)-len(removed) {
		return fmt.Errorf("removals %v out of range of %d prefixes", removed, len(prefixes))
	}
	added, err := rice.DecodePrefixes(resp.GetAdditions().GetRiceHashes())
	if err != nil {
		return err
	}
	for _, raw := range resp.GetAdditions().GetRawHashes() {
		if raw.GetPrefixSize() != 4 || len(raw.GetRawHashes())%4 != 0 {
			return fmt.Errorf("raw hashes of %d bytes, prefix size %d", len(raw.GetRawHashes()), raw.GetPrefixSize())
		}
		for b := raw.GetRawHashes(); len(b) > 0; b = b[4:] {
			added = append(added, [4]byte(b))
		}
	}
	kept = append(kept, added...)
	slices.SortFunc(kept, func(a, b [4]byte) int { return bytes.Compare(a[:], b[:]) })
	if len(slices.Compact(slices.Clone(kept))) != len(kept) {
		return errors.New("additions repeat a prefix")
	}
	sum := sha256.New()
	for _, p := range kept {
		sum.Write(p[:])
	}
	if !bytes.Equal(sum.Sum(nil), resp.GetChecksum().GetSha256()) {
		return errors.New("checksum mismatch")
	}
	l.prefixes, l.token = kept, resp.GetNewVersionToken()
	return nil
}

// has reports whether the list holds the prefix of e.
func (l *localList) has(e Entry) bool {
	h := e.Hash()
	_, found := slices.BinarySearchFunc(l.prefixes, [4]byte(h[:4]), func(a, b [4]byte) int { return bytes.Compare(a[:], b[:]) })
	return found
}
