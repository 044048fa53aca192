package fakewebrisk

import (
	"bytes"
	"context"
	"slices"
	"time"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// garbageRice is the RICE encoding FailureBadRice sends: three entries in
// fewer bits than one takes.
var garbageRice = &webriskpb.RiceDeltaEncoding{FirstValue: 7, RiceParameter: 28, EntryCount: 3, EncodedData: []byte{0xff, 0xff}}

// service is the gRPC service of a Server.
type service struct {
	webriskpb.UnimplementedWebRiskServiceServer
	*Server
}

// ComputeThreatListDiff answers with the update from the client's version
// of a list to the latest.
func (s service) ComputeThreatListDiff(_ context.Context, req *webriskpb.ComputeThreatListDiffRequest) (*webriskpb.ComputeThreatListDiffResponse, error) {
	if !served(req.GetThreatType()) {
		return nil, status.Errorf(codes.InvalidArgument, "threat_type %v is not served", req.GetThreatType())
	}
	if req.GetConstraints() == nil {
		return nil, status.Error(codes.InvalidArgument, "constraints are required")
	}
	rice := slices.Contains(req.GetConstraints().GetSupportedCompressions(), webriskpb.CompressionType_RICE)

	s.mu.Lock()
	l := s.lists[req.GetThreatType()]
	from, to := l.find(req.GetVersionToken()), l.latest()
	token, failure := l.token(to), s.failure
	s.mu.Unlock()

	resp := &webriskpb.ComputeThreatListDiffResponse{
		NewVersionToken:     token,
		RecommendedNextDiff: timestamppb.New(time.Now().Add(s.cfg.NextDiff)),
	}
	var added, removed int
	if from == nil {
		resp.ResponseType = webriskpb.ComputeThreatListDiffResponse_RESET
		resp.Additions = additions(to, rice)
		added = len(to.prefixes)
	} else {
		resp.ResponseType = webriskpb.ComputeThreatListDiffResponse_DIFF
		a, r := diff(from.prefixes, to.prefixes)
		resp.Additions, resp.Removals = additions(&version{prefixes: a}, rice), removals(r, rice)
		added, removed = len(a), len(r)
	}
	_, sum := to.rawHashes()
	switch failure {
	case FailureBadChecksum:
		sum[0] ^= 0xff
	case FailureBadRice:
		resp.Additions = &webriskpb.ThreatEntryAdditions{RiceHashes: garbageRice}
	}
	resp.Checksum = &webriskpb.ComputeThreatListDiffResponse_Checksum{Sha256: sum[:]}
	s.cfg.Logger.Info("threat list diff", "threat_type", req.GetThreatType(), "response_type", resp.GetResponseType(),
		"rice", rice, "additions", added, "removals", removed, "version", string(token))
	return resp, nil
}

// additions returns the additions of the prefixes of v, or nil for none.
func additions(v *version, rice bool) *webriskpb.ThreatEntryAdditions {
	switch {
	case len(v.prefixes) == 0:
		return nil
	case rice:
		return &webriskpb.ThreatEntryAdditions{RiceHashes: v.riceHashes()}
	}
	raw, _ := v.rawHashes()
	return &webriskpb.ThreatEntryAdditions{RawHashes: []*webriskpb.RawHashes{{PrefixSize: prefixSize, RawHashes: raw}}}
}

// removals returns the removals of indices, or nil for none.
func removals(indices []int32, rice bool) *webriskpb.ThreatEntryRemovals {
	switch {
	case len(indices) == 0:
		return nil
	case rice:
		return &webriskpb.ThreatEntryRemovals{RiceIndices: EncodeIndices(indices)}
	}
	return &webriskpb.ThreatEntryRemovals{RawIndices: &webriskpb.RawIndices{Indices: indices}}
}

// SearchHashes answers with the full hashes of the entries, on the lists
// asked for, whose hash starts with the prefix.
func (s service) SearchHashes(_ context.Context, req *webriskpb.SearchHashesRequest) (*webriskpb.SearchHashesResponse, error) {
	prefix := req.GetHashPrefix()
	if len(prefix) < prefixSize || len(prefix) > 32 {
		return nil, status.Errorf(codes.InvalidArgument, "hash_prefix has %d bytes, want 4 to 32", len(prefix))
	}
	if len(req.GetThreatTypes()) == 0 {
		return nil, status.Error(codes.InvalidArgument, "threat_types are required")
	}
	types := make(map[[32]byte][]webriskpb.ThreatType)
	s.mu.Lock()
	for _, t := range req.GetThreatTypes() {
		l := s.lists[t]
		if l == nil {
			s.mu.Unlock()
			return nil, status.Errorf(codes.InvalidArgument, "threat_types: %v is not served", t)
		}
		for h := range l.entries {
			if bytes.HasPrefix(h[:], prefix) && !slices.Contains(types[h], t) {
				types[h] = append(types[h], t)
			}
		}
	}
	s.mu.Unlock()

	expire := timestamppb.New(time.Now().Add(s.cfg.CacheDuration))
	resp := &webriskpb.SearchHashesResponse{NegativeExpireTime: expire}
	for h, ts := range types {
		slices.Sort(ts)
		resp.Threats = append(resp.Threats, &webriskpb.SearchHashesResponse_ThreatHash{ThreatTypes: ts, Hash: h[:], ExpireTime: expire})
	}
	slices.SortFunc(resp.Threats, func(a, b *webriskpb.SearchHashesResponse_ThreatHash) int { return bytes.Compare(a.Hash, b.Hash) })
	s.cfg.Logger.Info("search hashes", "prefix_bytes", len(prefix), "threat_types", len(req.GetThreatTypes()), "matches", len(resp.Threats))
	return resp, nil
}
