package gateway

import (
	"reflect"
	"testing"
)

// FuzzRewriteRequestParsing holds that the rewrite API reads any body as
// encoding/json alone would: the same request, or an error with the same
// words.
func FuzzRewriteRequestParsing(f *testing.F) {
	for _, seed := range []string{
		`{"text":"kak kirim kode OTP nya ya 🙏 https://bit.ly/x"}`,
		`{"messages":["halo","transfer ke rekening saya \"langsung\"\n"]}`,
		`{"Text":"case"}`, `{"text":"a","text":"b"}`, `{"text":null}`, `{"messages":[]}`,
		`{"text":"a","messages":["b"]}`, `{"url":"x"}`, `{"text":"\ud83d\ude4f"}`, `{"text":"a"} {}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, gotErr := parseRewriteRequest(data)
		var want rewriteRequest
		wantErr := decodeJSON(data, &want)
		switch {
		case (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error():
			t.Fatalf("%q: error %v, encoding/json %v", data, gotErr, wantErr)
		case gotErr == nil && !reflect.DeepEqual(got, want):
			t.Fatalf("%q: read %+v, encoding/json %+v", data, got, want)
		}
	})
}
