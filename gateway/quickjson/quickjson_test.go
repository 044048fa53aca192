package quickjson

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestObjectReadsStringsAndArrays(t *testing.T) {
	tests := []struct {
		data string
		want []Member
	}{
		{`{"text":"halo kak"}`, []Member{{Name: "text", String: "halo kak"}}},
		{" \r\n\t{ \"text\" : \"a\" } \n", []Member{{Name: "text", String: "a"}}},
		{`{"messages":["a","b"]}`, []Member{{Name: "messages", IsArray: true, Strings: []string{"a", "b"}}}},
		{`{"messages":[]}`, []Member{{Name: "messages", IsArray: true, Strings: []string{}}}},
		{`{}`, nil},
		{`{"text":"baris\nbaru \"kutip\" \\ \/ \b\f\r\t \u00e9 \u0000"}`, []Member{{Name: "text", String: "baris\nbaru \"kutip\" \\ / \b\f\r\t é \x00"}}},
		{`{"te\u0078t":"🙏 kak"}`, []Member{{Name: "text", String: "🙏 kak"}}},
		{`{"a":"1","b":["2"]}`, []Member{{Name: "a", String: "1"}, {Name: "b", IsArray: true, Strings: []string{"2"}}}},
	}
	for _, tt := range tests {
		got, ok := Object([]byte(tt.data))
		if !ok || !slices.EqualFunc(got, tt.want, equalMember) {
			t.Errorf("Object(%q) = %+v, %v; want %+v", tt.data, got, ok, tt.want)
		}
	}
}

func TestObjectLeavesTheRestToEncodingJSON(t *testing.T) {
	for _, data := range []string{
		``, ` `, `null`, `"text"`, `[]`, `{`, `{"text"}`, `{"text":}`, `{"text":"a"`, `{"text":"a",}`,
		`{"text":"a"} {}`, `{"text":"a"}x`, `{"text":null}`, `{"text":1}`, `{"text":true}`, `{"text":{}}`,
		`{"messages":["a",]}`, `{"messages":["a" "b"]}`, `{"messages":[1]}`, `{"messages":[null]}`, `{"messages":[["a"]]}`,
		`{"text":"a","text":"b"}`, // named twice: encoding/json keeps the last
		"{\"text\":\"a\x01\"}",    // a control character
		"{\"text\":\"\xff\"}",     // not UTF-8: encoding/json writes U+FFFD
		`{"text":"\ud83d\ude4f"}`, // a surrogate pair
		`{"text":"\ud83d"}`,       // a lone surrogate: U+FFFD
		`{"text":"\x"}`, `{"text":"\u12"}`, `{"text":"\u12G4"}`, `{"text":"\`,
		"\xef\xbb\xbf{\"text\":\"a\"}", // a byte order mark
		`{'text':'a'}`,
		manyMembers(MaxMembers + 1), // each member is compared with those before it: a bound keeps that small
	} {
		if got, ok := Object([]byte(data)); ok {
			t.Errorf("Object(%q) = %+v, true; want it left to encoding/json", data, got)
		}
	}
}

func TestObjectReadsUpToMaxMembers(t *testing.T) {
	if got, ok := Object([]byte(manyMembers(MaxMembers))); !ok || len(got) != MaxMembers {
		t.Errorf("an object of %d members: %d members, %v", MaxMembers, len(got), ok)
	}
}

// manyMembers is an object of n string members.
func manyMembers(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q:%q", fmt.Sprint("m", i), "v")
	}
	b.WriteString("}")
	return b.String()
}

// FuzzObject holds that whatever Object reads, encoding/json reads the
// same: valid JSON, the same names each once, the same strings.
func FuzzObject(f *testing.F) {
	for _, seed := range []string{
		`{"text":"halo kak, kirim kode OTP nya ya \ud83d\ude4f"}`,
		`{"messages":["a","b\n\"c\""]}`,
		`{"te\u0078t":"\u00e9\/"}`,
		"{\"text\":\"\xff\"}",
		` { "a" : [ ] , "b" : "" } `,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		members, ok := Object(data)
		if !ok {
			return
		}
		var object map[string]json.RawMessage
		if err := json.Unmarshal(data, &object); err != nil {
			t.Fatalf("Object read %q, which encoding/json refuses: %v", data, err)
		}
		if len(object) != len(members) {
			t.Fatalf("Object read %d members of %q, encoding/json %d", len(members), data, len(object))
		}
		for _, m := range members {
			raw, found := object[m.Name]
			if !found {
				t.Fatalf("Object read a member %q of %q that encoding/json does not", m.Name, data)
			}
			var want Member
			want.Name = m.Name
			if m.IsArray {
				want.IsArray = true
				if err := json.Unmarshal(raw, &want.Strings); err != nil {
					t.Fatal(err)
				}
			} else if err := json.Unmarshal(raw, &want.String); err != nil {
				t.Fatal(err)
			}
			if !equalMember(m, want) {
				t.Fatalf("Object read %+v of %q, encoding/json %+v", m, data, want)
			}
		}
	})
}

func equalMember(a, b Member) bool {
	return a.Name == b.Name && a.IsArray == b.IsArray && a.String == b.String && slices.Equal(a.Strings, b.Strings) &&
		(a.Strings == nil) == (b.Strings == nil)
}
