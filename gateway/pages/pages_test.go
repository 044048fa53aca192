package pages

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestRenderIncludesBlocksByComputedName(t *testing.T) {
	fsys := fstest.MapFS{
		"_layout.html": {Data: []byte(`{{define "layout"}}<p>{{template "content" .}}</p>{{end}}`)},
		"_blocks.html": {Data: []byte(`{{define "reason-a"}}A {{.X}}{{end}}{{define "reason-b"}}B{{end}}`)},
		"page.html":    {Data: []byte(`{{define "content"}}{{range .Reasons}}[{{include (print "reason-" .) $}}]{{end}}{{end}}`)},
	}
	s, err := Parse(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if names := s.Names(); len(names) != 1 || names[0] != "page" {
		t.Fatalf("Names() = %v", names)
	}
	var b strings.Builder
	data := map[string]any{"Reasons": []string{"b", "a"}, "X": "<x>"}
	if err := s.Render(&b, "page", data); err != nil {
		t.Fatal(err)
	}
	if want := "<p>[B][A &lt;x&gt;]</p>"; b.String() != want {
		t.Errorf("Render = %q, want %q", b.String(), want)
	}
}

// failWriter records whether anything was written.
type failWriter struct{ wrote bool }

func (w *failWriter) Write(p []byte) (int, error) {
	w.wrote = true
	return len(p), nil
}

func TestRenderWritesNothingWhenATemplateFails(t *testing.T) {
	fsys := fstest.MapFS{
		"_layout.html": {Data: []byte(`{{define "layout"}}<p>start {{template "content" .}}</p>{{end}}`)},
		"page.html":    {Data: []byte(`{{define "content"}}{{include "reason-missing" .}}{{end}}`)},
	}
	s, err := Parse(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var w failWriter
	if err := s.Render(&w, "page", nil); err == nil {
		t.Fatal("Render of a missing block succeeded")
	}
	if w.wrote {
		t.Error("a failed render wrote half a page")
	}
	if err := s.Render(&w, "nope", nil); err == nil {
		t.Error("Render of an unknown page succeeded")
	}
}

func TestParseErrors(t *testing.T) {
	tests := map[string]fstest.MapFS{
		"no pages":  {"_layout.html": {Data: []byte(`{{define "layout"}}{{end}}`)}},
		"no layout": {"page.html": {Data: []byte(`{{define "content"}}{{end}}`)}},
		"syntax": {
			"_layout.html": {Data: []byte(`{{define "layout"}}{{end}}`)},
			"page.html":    {Data: []byte(`{{define "content"}}{{if}}{{end}}`)},
		},
	}
	for name, fsys := range tests {
		if _, err := Parse(fsys); err == nil {
			t.Errorf("%s: Parse succeeded", name)
		}
	}
	_, err := Parse(tests["syntax"])
	if err == nil || !strings.Contains(err.Error(), "page.html:1") {
		t.Errorf("a syntax error does not name file and line: %v", err)
	}
}
