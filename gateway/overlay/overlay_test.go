package overlay

import (
	"io/fs"
	"testing"
	"testing/fstest"
)

func TestOverlay(t *testing.T) {
	base := fstest.MapFS{
		"a.html":    {Data: []byte("base a")},
		"b.html":    {Data: []byte("base b")},
		"img/x.svg": {Data: []byte("base x")},
	}
	top := fstest.MapFS{
		"b.html":    {Data: []byte("top b")},
		"c.html":    {Data: []byte("top c")},
		"img/x.svg": {Data: []byte("top x")},
	}
	o := New(top, base)
	for name, want := range map[string]string{"a.html": "base a", "b.html": "top b", "c.html": "top c", "img/x.svg": "top x"} {
		got, err := fs.ReadFile(o, name)
		if err != nil || string(got) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
	names, err := fs.Glob(o, "*.html")
	if err != nil || len(names) != 3 || names[0] != "a.html" || names[2] != "c.html" {
		t.Errorf("Glob = %v, %v", names, err)
	}
	if _, err := fs.ReadFile(o, "missing"); err == nil {
		t.Error("a missing file opened")
	}
	if _, err := o.Open("../etc/passwd"); err == nil {
		t.Error("an invalid path opened")
	}
	if err := fstest.TestFS(o, "a.html", "b.html", "c.html", "img/x.svg"); err != nil {
		t.Error(err)
	}
	if New(nil, base) == nil {
		t.Error("New(nil, base) is nil")
	}
}
