package fakesafebrowsing

import (
	"errors"
	"fmt"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
)

// Enum values of the Safe Browsing v4 protocol.
const (
	platformAnyPlatform = 6 // PlatformType ANY_PLATFORM
	entryTypeURL        = 1 // ThreatEntryType URL
	compressionRaw      = 1 // CompressionType RAW
	responseFullUpdate  = 2 // ListUpdateResponse.ResponseType FULL_UPDATE
)

// descriptor names a list as the protocol does: threat type, platform type
// and threat entry type, by their enum values.
type descriptor struct {
	threatType, platform, entryType uint64
}

// fullHashRequest is what the fake reads of a FindFullHashesRequest.
type fullHashRequest struct {
	threatTypes []uint64 // ThreatInfo.threat_types
	platforms   []uint64 // ThreatInfo.platform_types
	prefixes    [][]byte // ThreatInfo.threat_entries[].hash
}

// field is one field of an encoded message: a varint's value, or the bytes
// of a length-delimited field.
type field struct {
	num    protowire.Number
	typ    protowire.Type
	varint uint64
	bytes  []byte
}

// eachField calls fn for each field of the encoded message b, skipping the
// fields of other wire types.
func eachField(b []byte, fn func(field) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		f := field{num: num, typ: typ}
		switch typ {
		case protowire.VarintType:
			f.varint, n = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			f.bytes, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		if typ != protowire.VarintType && typ != protowire.BytesType {
			continue
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// appendEnums appends the values of a repeated enum field, which arrives
// packed or as single varints.
func appendEnums(values []uint64, f field) ([]uint64, error) {
	if f.typ == protowire.VarintType {
		return append(values, f.varint), nil
	}
	for b := f.bytes; len(b) > 0; {
		v, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return nil, protowire.ParseError(n)
		}
		values = append(values, v)
		b = b[n:]
	}
	return values, nil
}

// parseListUpdateRequest returns the lists a FetchThreatListUpdatesRequest
// asks for.
func parseListUpdateRequest(b []byte) ([]descriptor, error) {
	var lists []descriptor
	err := eachField(b, func(f field) error {
		if f.num != 3 || f.typ != protowire.BytesType { // list_update_requests
			return nil
		}
		var d descriptor
		err := eachField(f.bytes, func(f field) error {
			switch f.num {
			case 1:
				d.threatType = f.varint
			case 2:
				d.platform = f.varint
			case 5:
				d.entryType = f.varint
			}
			return nil
		})
		lists = append(lists, d)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("decoding FetchThreatListUpdatesRequest: %w", err)
	}
	if len(lists) == 0 {
		return nil, errors.New("FetchThreatListUpdatesRequest asks for no list")
	}
	return lists, nil
}

// parseFullHashRequest reads a FindFullHashesRequest.
func parseFullHashRequest(b []byte) (fullHashRequest, error) {
	var req fullHashRequest
	err := eachField(b, func(f field) error {
		if f.num != 3 || f.typ != protowire.BytesType { // threat_info
			return nil
		}
		return eachField(f.bytes, func(f field) error {
			var err error
			switch f.num {
			case 1:
				req.threatTypes, err = appendEnums(req.threatTypes, f)
			case 2:
				req.platforms, err = appendEnums(req.platforms, f)
			case 3:
				err = eachField(f.bytes, func(f field) error {
					if f.num == 1 && f.typ == protowire.BytesType {
						req.prefixes = append(req.prefixes, f.bytes)
					}
					return nil
				})
			}
			return err
		})
	})
	if err != nil {
		return req, fmt.Errorf("decoding FindFullHashesRequest: %w", err)
	}
	return req, nil
}

func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func appendBytesField(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

// appendDuration appends a google.protobuf.Duration field.
func appendDuration(b []byte, num protowire.Number, d time.Duration) []byte {
	var msg []byte
	msg = appendVarintField(msg, 1, uint64(d/time.Second))
	msg = appendVarintField(msg, 2, uint64(d%time.Second))
	return appendBytesField(b, num, msg)
}

// appendFullUpdate appends a ListUpdateResponse field that replaces list d
// with the sorted, concatenated 4-byte prefixes raw, whose SHA-256 is sum.
func appendFullUpdate(b []byte, num protowire.Number, d descriptor, raw []byte, sum [32]byte) []byte {
	var msg []byte
	msg = appendVarintField(msg, 1, d.threatType)
	msg = appendVarintField(msg, 2, d.entryType)
	msg = appendVarintField(msg, 3, d.platform)
	msg = appendVarintField(msg, 4, responseFullUpdate)
	if len(raw) > 0 { // clients reject an addition without prefixes
		var rawHashes []byte
		rawHashes = appendVarintField(rawHashes, 1, prefixSize)
		rawHashes = appendBytesField(rawHashes, 2, raw)
		var set []byte
		set = appendVarintField(set, 1, compressionRaw)
		set = appendBytesField(set, 2, rawHashes)
		msg = appendBytesField(msg, 5, set)
	}
	msg = appendBytesField(msg, 7, []byte("full"))
	msg = appendBytesField(msg, 8, appendBytesField(nil, 1, sum[:]))
	return appendBytesField(b, num, msg)
}

// appendThreatMatch appends a ThreatMatch field for the full hash hash on
// list d, which clients may cache for cacheFor.
func appendThreatMatch(b []byte, num protowire.Number, d descriptor, hash []byte, cacheFor time.Duration) []byte {
	var msg []byte
	msg = appendVarintField(msg, 1, d.threatType)
	msg = appendVarintField(msg, 2, d.platform)
	msg = appendBytesField(msg, 3, appendBytesField(nil, 1, hash))
	msg = appendDuration(msg, 5, cacheFor)
	msg = appendVarintField(msg, 6, d.entryType)
	return appendBytesField(b, num, msg)
}
