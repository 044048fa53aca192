package rice_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"cloud.google.com/go/webrisk/apiv1/webriskpb"
	"github.com/blibli/safelink/gateway/threat/rice"
	"github.com/blibli/safelink/internal/fakewebrisk"
)

// encoding returns the RiceDeltaEncoding of the fields, data in hex.
func encoding(t testing.TB, first int64, k, count int32, data string) *webriskpb.RiceDeltaEncoding {
	t.Helper()
	b, err := hex.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	return &webriskpb.RiceDeltaEncoding{FirstValue: first, RiceParameter: k, EntryCount: count, EncodedData: b}
}

// The published test vectors of the protocol's Rice coding, from the test
// data of Google's Safe Browsing clients: the same encoding, server-made.
var prefixVectors = []struct {
	first    int64
	k, count int32
	data     string
	want     []string // the prefixes in hex, in byte order
}{
	{164066655, 28, 2, "91280dd01f2c9d5301", []string{"33341993", "5f75c709", "83bfca1d"}},
	{419641154, 28, 5, "b0e8007275b8ba8319e39f2d4ea7f1df8b1a1202", []string{"0f64be45", "42370319", "6650275f", "95ba6fd7", "9aab0322", "db7cbd52"}},
	{229820320, 28, 6, "dda588628aad88f883e2421a66384d10bce123dd22030202", []string{"17f15426", "47ba02b7", "573373a2", "a0c7b20d", "a19edd3e", "d2c60aef", "f1fa25a2"}},
	{202217208, 28, 3, "5fe56d19f084ea8fffeacca708", []string{"2b9f705e", "8d4e735c", "a085c4f2", "f8960d0c"}},
	{927378526, 28, 8, "ce4f1cc9b81c12c9e0142610815a766d8771f0b282397d6779d2cbe98e2f01", []string{"17ad48ca", "28471d40", "41e3df44", "45d4d43b", "51643a4b", "5eac4637", "7e261bf6", "beebab7b", "cc9d97ff"}},
	{501086569, 28, 2, "ff93bf27d073d3bb37", []string{"5bf1e2c7", "69f9dd1d", "c96bdafe"}},
	{2952333783, 28, 1, "2f701aef01", []string{"58dd71ff", "d709f9af"}},
	{3739657877, 0, 0, "", []string{"95a6e6de"}},
	{5, 28, 3, "bfa83ffb0f0f5e27e6c31dc638", []string{"05000000", "0c4c93ad", "567ff66f", "ce6f3181"}},
	{0x69f67f51, 2, 0, "", []string{"517ff669"}},
}

var indexVectors = []struct {
	first    int64
	k, count int32
	data     string
	want     []int32
}{
	{172, 28, 5, "720000c0210000100400001a01006017000000", []int32{172, 229, 364, 494, 776, 963}},
	{75, 28, 7, "34010000110000300500000a0000e0100000a80100007a000000", []int32{75, 229, 297, 463, 473, 608, 714, 958}},
	{35, 28, 6, "f80100800f000050050000c50000c0020000b4020000", []int32{35, 287, 349, 519, 716, 738, 911}},
	{998, 0, 0, "", []int32{998}},
	{193, 28, 3, "360300c02b0000b8040000", []int32{193, 604, 779, 930}},
	{128, 28, 7, "140000c000000088050000520000c03200004402000024000000", []int32{128, 138, 141, 318, 400, 806, 951, 1023}},
	{271, 28, 5, "48000000560000c0010000cd00000002000000", []int32{271, 307, 651, 707, 912, 928}},
	{497, 28, 4, "de0000c00000006805000085000000", []int32{497, 608, 611, 784, 917}},
	{5, 2, 2, "f702", []int32{5, 20, 29}},
}

func TestDecodePrefixesVectors(t *testing.T) {
	for _, v := range prefixVectors {
		got, err := rice.DecodePrefixes(encoding(t, v.first, v.k, v.count, v.data))
		if err != nil {
			t.Errorf("DecodePrefixes(%d, %d, %d, %s): %v", v.first, v.k, v.count, v.data, err)
			continue
		}
		var hexes []string
		for _, p := range got {
			hexes = append(hexes, hex.EncodeToString(p[:]))
		}
		if !slices.Equal(hexes, v.want) {
			t.Errorf("DecodePrefixes(%d, %d, %d, %s) = %v, want %v", v.first, v.k, v.count, v.data, hexes, v.want)
		}
	}
}

func TestDecodeIndicesVectors(t *testing.T) {
	for _, v := range indexVectors {
		got, err := rice.DecodeIndices(encoding(t, v.first, v.k, v.count, v.data))
		if err != nil || !slices.Equal(got, v.want) {
			t.Errorf("DecodeIndices(%d, %d, %d, %s) = %v, %v; want %v", v.first, v.k, v.count, v.data, got, err, v.want)
		}
	}
}

// TestEncoderMatchesVectors checks the encoder the round trips rely on
// against the same vectors: it writes the server's bytes.
func TestEncoderMatchesVectors(t *testing.T) {
	for _, v := range indexVectors {
		values := make([]uint32, len(v.want))
		for i, x := range v.want {
			values[i] = uint32(x)
		}
		want := encoding(t, v.first, v.k, v.count, v.data)
		if got := fakewebrisk.EncodeRice(values, v.k); !sameEncoding(got, want) {
			t.Errorf("EncodeRice(%v, %d) = %v, want %v", values, v.k, got, want)
		}
	}
}

func sameEncoding(a, b *webriskpb.RiceDeltaEncoding) bool {
	return a.GetFirstValue() == b.GetFirstValue() && a.GetRiceParameter() == b.GetRiceParameter() &&
		a.GetEntryCount() == b.GetEntryCount() && bytes.Equal(a.GetEncodedData(), b.GetEncodedData())
}

func TestDecodeNil(t *testing.T) {
	if p, err := rice.DecodePrefixes(nil); p != nil || err != nil {
		t.Errorf("DecodePrefixes(nil) = %v, %v; want nothing", p, err)
	}
	if i, err := rice.DecodeIndices(nil); i != nil || err != nil {
		t.Errorf("DecodeIndices(nil) = %v, %v; want nothing", i, err)
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name     string
		first    int64
		k, count int32
		data     string
		prefixes string // the error of DecodePrefixes, "" for none
		indices  string // the error of DecodeIndices, "" for none
	}{
		{"negative first value", -1, 2, 0, "", "first_value -1 is outside [0, 4294967295]", "first_value -1 is outside [0, 2147483647]"},
		{"first value past int32", 1 << 31, 2, 0, "", "", "first_value 2147483648 is outside"},
		{"first value past uint32", 1 << 32, 2, 0, "", "first_value 4294967296 is outside", "first_value 4294967296 is outside"},
		{"negative entry count", 5, 2, -1, "", "entry_count -1 is negative", "entry_count -1 is negative"},
		{"parameter 0", 5, 0, 1, "61", "rice_parameter 0 is outside [2, 28]", "rice_parameter 0 is outside [2, 28]"},
		{"parameter 1", 5, 1, 1, "61", "rice_parameter 1 is outside", "rice_parameter 1 is outside"},
		{"parameter 29", 5, 29, 1, "6161616161", "rice_parameter 29 is outside", "rice_parameter 29 is outside"},
		{"no data", 5, 5, 1, "", "encoded_data is empty, want 1 entries", "encoded_data is empty"},
		{"count past the data", 5, 28, 1000, "ffff", "entry_count 1000 needs at least 29000 bits of encoded_data, which has 16", "needs at least 29000 bits"},
		{"count at the limit of int32", 5, 28, 1<<31 - 1, "ff", "needs at least 62277025763 bits", "needs at least"},
		{"data ends in the quotient", 5, 2, 2, "ff", "entry 1 of 2: encoded_data ends too soon", "entry 1 of 2: encoded_data ends too soon"},
		{"data ends in the remainder", 5, 3, 2, "1e", "entry 2 of 2: encoded_data ends too soon", "entry 2 of 2: encoded_data ends too soon"},
		{"repeated value", 5, 28, 1, "00000000", "entry 1 of 1 repeats 5", "entry 1 of 1 repeats 5"},
		{"quotient past the limit", 5, 28, 1, "ffffffff", "entry 1 of 1: a delta above 4294967295", "entry 1 of 1: a delta above 2147483647"},
		{"sum overflows", 5, 28, 3, "bfa83ffbfcfb5e27e6c31dc638", "entry 3 of 3: the sum 4795412205 overflows 4294967295", "entry 2 of 3: the sum 3871042357 overflows 2147483647"},
		{"sum overflows int32", 2147483000, 10, 1, "0100", "", "entry 1 of 1: the sum 2147484024 overflows 2147483647"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := encoding(t, tt.first, tt.k, tt.count, tt.data)
			_, err := rice.DecodePrefixes(e)
			checkError(t, "DecodePrefixes", err, tt.prefixes)
			_, err = rice.DecodeIndices(e)
			checkError(t, "DecodeIndices", err, tt.indices)
		})
	}
}

func checkError(t *testing.T, name string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: %v, want no error", name, err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("%s: error %v, want one containing %q", name, err, want)
	case err != nil && !strings.HasPrefix(err.Error(), "rice: "):
		t.Errorf("%s: error %q does not name the package", name, err)
	}
}

// prefixesOf returns the 4-byte prefixes of values read as big-endian
// numbers, in byte order.
func prefixesOf(values []uint32) [][4]byte {
	prefixes := make([][4]byte, len(values))
	for i, v := range values {
		binary.BigEndian.PutUint32(prefixes[i][:], v)
	}
	slices.SortFunc(prefixes, func(a, b [4]byte) int { return bytes.Compare(a[:], b[:]) })
	return prefixes
}

// sortedSet returns the values of b, taken 4 bytes at a time as
// little-endian numbers, sorted without repeats.
func sortedSet(b []byte) []uint32 {
	var values []uint32
	for ; len(b) >= 4; b = b[4:] {
		values = append(values, binary.LittleEndian.Uint32(b))
	}
	slices.Sort(values)
	return slices.Compact(values)
}

// valuesOf returns the prefixes read as little-endian numbers, as the
// protocol encodes them, sorted.
func valuesOf(prefixes [][4]byte) []uint32 {
	values := make([]uint32, len(prefixes))
	for i, p := range prefixes {
		values[i] = binary.LittleEndian.Uint32(p[:])
	}
	slices.Sort(values)
	return values
}

func TestRoundTrips(t *testing.T) {
	tests := []struct {
		name   string
		values []uint32
	}{
		{"one", []uint32{0xdeadbeef}},
		{"the extremes", []uint32{0, 1, 2, 0xfffffffe, 0xffffffff}},
		{"dense", []uint32{100, 101, 102, 103, 104, 105}},
		{"the whole range", []uint32{0, 0xffffffff}},
		{"sparse", []uint32{7, 1 << 20, 1<<20 + 1, 1 << 31, 3 << 30}},
	}
	for _, tt := range tests {
		got, err := rice.DecodePrefixes(fakewebrisk.EncodePrefixes(tt.values))
		if err != nil || !slices.Equal(got, prefixesOf(tt.values)) {
			t.Errorf("%s: prefixes = %x, %v; want %x", tt.name, got, err, prefixesOf(tt.values))
		}
		for k := int32(rice.MinParameter); k <= rice.MaxParameter; k++ {
			if maxDelta(tt.values)>>k > 1<<16 {
				continue // megabytes of unary quotient
			}
			got, err := rice.DecodePrefixes(fakewebrisk.EncodeRice(tt.values, k))
			if err != nil || !slices.Equal(valuesOf(got), tt.values) {
				t.Errorf("%s, k=%d: values = %x, %v; want %x", tt.name, k, valuesOf(got), err, tt.values)
			}
		}
	}
}

func maxDelta(values []uint32) uint32 {
	var d uint32
	for i := 1; i < len(values); i++ {
		d = max(d, values[i]-values[i-1])
	}
	return d
}

func TestRoundTripsIndices(t *testing.T) {
	for _, n := range []int{1, 2, 1000, 100000} {
		indices := make([]int32, n)
		for i := range indices {
			indices[i] = int32(i * 3)
		}
		got, err := rice.DecodeIndices(fakewebrisk.EncodeIndices(indices))
		if err != nil || !slices.Equal(got, indices) {
			t.Errorf("%d indices: round trip gave %d, %v", n, len(got), err)
		}
	}
}
