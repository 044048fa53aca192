package redisstore

import (
	"encoding/json"
	"testing"
)

// FuzzDecodeChange checks the decoding of a rule change read from the
// change channel: it never panics, and a change it decodes encodes to a
// message that decodes to the same change.
func FuzzDecodeChange(f *testing.F) {
	f.Add(`{"revision":3,"op":"add","rule":{"id":"a1","match":"domain","value":"evil.example","action":"block","reason":"r","created_by":"b","created_at":"2026-01-02T03:04:05Z"},"by":"b","why":"","time":"2026-01-02T03:04:05Z"}`)
	f.Add(`{"revision":-1}`)
	f.Add(`{"op":"remove","rule":{"expires_at":"9999-12-31T23:59:59.999999999+14:00"},"time":"0001-01-01T00:00:00Z"}`)
	f.Add(`null`)
	f.Add(`{"revision":1e400}`)
	f.Fuzz(func(t *testing.T, msg string) {
		c, err := decodeChange(msg)
		if err != nil {
			return
		}
		encoded, err := json.Marshal(c)
		if err != nil {
			return // a time outside what JSON can hold: never written by a store
		}
		again, err := decodeChange(string(encoded))
		reencoded, _ := json.Marshal(again)
		if err != nil || string(reencoded) != string(encoded) {
			t.Fatalf("decodeChange(%q) = %+v, encoded %s, decoded again %+v, %v", msg, c, encoded, again, err)
		}
	})
}
