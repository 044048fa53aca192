package redact_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/blibli/safelink/gateway/redact"
)

const key = "AIzaKEY+with/odd=chars"

func TestStringTakesOutEveryForm(t *testing.T) {
	s := redact.New(key, "", "redis-pass")
	for _, tc := range []struct{ in, want string }{
		{"no secret here", "no secret here"},
		{"key=" + key, "key=[redacted]"},
		{"GET https://x/v4?key=" + url.QueryEscape(key) + "&a=1", "GET https://x/v4?key=[redacted]&a=1"},
		{"/" + url.PathEscape(key) + "/", "/[redacted]/"},
		{"redis://:redis-pass@h redis://:redis-pass@h", "redis://:[redacted]@h redis://:[redacted]@h"},
		{key + key, "[redacted]"},
	} {
		if got := s.String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestOverlappingSecretsGoWhole(t *testing.T) {
	s := redact.New("abcdef", "defghi")
	if got := s.String("xxabcdefghiyy"); got != "xx[redacted]yy" {
		t.Errorf("got %q", got)
	}
}

func TestNilRedactsNothing(t *testing.T) {
	var s *redact.Secrets
	if got := s.String("key=" + key); got != "key="+key {
		t.Errorf("got %q", got)
	}
	err := errors.New("boom")
	if s.Error(err) != err {
		t.Error("a nil set wrapped an error")
	}
}

func TestErrorKeepsTheChain(t *testing.T) {
	s := redact.New(key)
	err := s.Error(fmt.Errorf("call https://x/?key=%s: %w", key, fs.ErrNotExist))
	if strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), redact.Redacted) {
		t.Errorf("Error() = %q", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("the redacted error lost what it wraps")
	}
	clean := errors.New("no secret")
	if s.Error(clean) != clean {
		t.Error("an error without a secret was wrapped")
	}
	if s.Error(nil) != nil {
		t.Error("nil became an error")
	}
}

// leaky prints a secret, as a client library's request or config would.
type leaky struct{ URL string }

// valuer logs a secret through slog.LogValuer.
type valuer struct{}

func (valuer) LogValue() slog.Value { return slog.StringValue("token " + key) }

func TestHandlerTakesSecretsOutOfEveryPart(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			var out bytes.Buffer
			var h slog.Handler = slog.NewJSONHandler(&out, nil)
			if format == "text" {
				h = slog.NewTextHandler(&out, nil)
			}
			log := slog.New(redact.New(key).Handler(h))
			log = log.With("preset", "k="+key, slog.Group("g", "err", errors.New(key)))
			log.WithGroup("grp").Warn("failed with key="+key,
				"err", fmt.Errorf("dial: %s", url.QueryEscape(key)),
				"string", key,
				"group", slog.GroupValue(slog.String("inner", key)),
				"struct", leaky{URL: "https://x/?key=" + key},
				"valuer", valuer{},
				"dirs", []string{"a", "b"},
				"n", 3,
				key, "as a key")
			logged := out.String()
			if strings.Contains(logged, key) || strings.Contains(logged, url.QueryEscape(key)) {
				t.Fatalf("the log holds the secret:\n%s", logged)
			}
			if n := strings.Count(logged, redact.Redacted); n != 9 {
				t.Errorf("%d redactions, want 9:\n%s", n, logged)
			}
			if format == "json" {
				var line map[string]any
				if err := json.Unmarshal(out.Bytes(), &line); err != nil {
					t.Fatal(err)
				}
				grp := line["grp"].(map[string]any)
				if dirs, ok := grp["dirs"].([]any); !ok || len(dirs) != 2 {
					t.Errorf("a value without a secret lost its shape: %#v", grp["dirs"])
				}
				if grp["n"] != 3.0 {
					t.Errorf("n = %#v", grp["n"])
				}
			}
		})
	}
}

func TestHandlerKeepsLevels(t *testing.T) {
	h := redact.New(key).Handler(slog.NewTextHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if h.Enabled(t.Context(), slog.LevelInfo) || !h.Enabled(t.Context(), slog.LevelError) {
		t.Error("the handler does not keep its level")
	}
}

// FuzzString checks that no secret survives: what String leaves between
// its markers is text that held no secret.
func FuzzString(f *testing.F) {
	f.Add("key=AIzaKEY&x=1", "AIzaKEY", "x=1")
	f.Add("aaaa", "aa", "a")
	f.Add("%2F/+", "/", "+")
	f.Fuzz(func(t *testing.T, text, a, b string) {
		s := redact.New(a, b)
		out := s.String(text)
		for _, piece := range strings.Split(out, redact.Redacted) {
			for _, secret := range []string{a, b} {
				for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
					if form != "" && strings.Contains(piece, form) && !strings.Contains(text, redact.Redacted) {
						t.Fatalf("String(%q) = %q keeps %q", text, out, form)
					}
				}
			}
		}
		if a == "" && b == "" && out != text {
			t.Fatalf("no secrets changed %q to %q", text, out)
		}
	})
}

func TestJSONSpellingsAreTakenOut(t *testing.T) {
	const secret = `pa"ss<&>\word`
	s := redact.New(secret)
	for _, escapeHTML := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		if err := enc.Encode(map[string]string{"error": "auth failed for " + secret}); err != nil {
			t.Fatal(err)
		}
		got := s.String(b.String())
		if got != `{"error":"auth failed for [redacted]"}`+"\n" {
			t.Errorf("escapeHTML %v: %q", escapeHTML, got)
		}
	}
}
