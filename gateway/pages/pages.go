// Package pages renders the gateway's HTML pages from html/template files.
//
// A template directory holds page files (warn.html, invalid.html …) and
// shared files whose names start with "_" (the layout, the safety tips, the
// reason blocks). Every page is parsed together with all shared files and
// executed from the "layout" template. Inside a template, {{include NAME
// DATA}} executes a template whose name is computed at run time, such as
// the block for each reason: {{include (print "reason-" .) $}}.
package pages

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"text/template/parse"
)

// Layout is the template every page is executed from.
const Layout = "layout"

// Set is a parsed set of pages. It is immutable and safe for concurrent use.
type Set struct {
	pages map[string]*template.Template
}

// Parse parses every *.html file of fsys. A page is a file whose name does
// not start with "_"; its name is the file name without ".html".
func Parse(fsys fs.FS) (*Set, error) {
	files, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	var shared, pageFiles []string
	for _, f := range files {
		if strings.HasPrefix(f, "_") {
			shared = append(shared, f)
		} else {
			pageFiles = append(pageFiles, f)
		}
	}
	if len(pageFiles) == 0 {
		return nil, errors.New("pages: no page templates (*.html without a leading _)")
	}
	s := &Set{pages: make(map[string]*template.Template, len(pageFiles))}
	for _, f := range pageFiles {
		t, err := parsePage(fsys, f, shared)
		if err != nil {
			return nil, err
		}
		s.pages[strings.TrimSuffix(f, ".html")] = t
	}
	return s, nil
}

func parsePage(fsys fs.FS, page string, shared []string) (*template.Template, error) {
	var (
		t      *template.Template
		static map[string]template.HTML // blocks of plain text, rendered once
	)
	funcs := template.FuncMap{
		"include": func(name string, data any) (template.HTML, error) {
			if html, ok := static[name]; ok {
				return html, nil
			}
			var b bytes.Buffer
			if err := t.ExecuteTemplate(&b, name, data); err != nil {
				return "", err
			}
			return template.HTML(b.String()), nil
		},
	}
	t = template.New(page).Funcs(funcs).Option("missingkey=error")
	for _, f := range shared {
		if err := parseFile(t.New(f), fsys, f); err != nil {
			return nil, err
		}
	}
	if err := parseFile(t, fsys, page); err != nil {
		return nil, err
	}
	if t.Lookup(Layout) == nil {
		return nil, fmt.Errorf("pages: %s: no %q template in the shared files", page, Layout)
	}
	var err error
	static, err = renderStatic(t)
	return t, err
}

// renderStatic renders once every template of t that is plain text, with
// no action at all, such as most reason blocks: including one then costs
// nothing per page.
func renderStatic(t *template.Template) (map[string]template.HTML, error) {
	out := map[string]template.HTML{}
	for _, tmpl := range t.Templates() {
		if tmpl.Tree == nil || !plainText(tmpl.Tree.Root) {
			continue
		}
		var b bytes.Buffer
		if err := tmpl.Execute(&b, nil); err != nil {
			return nil, err
		}
		out[tmpl.Name()] = template.HTML(b.String())
	}
	return out, nil
}

// plainText reports whether a template's tree holds text only.
func plainText(root *parse.ListNode) bool {
	if root == nil {
		return true
	}
	for _, n := range root.Nodes {
		if n.Type() != parse.NodeText {
			return false
		}
	}
	return true
}

func parseFile(t *template.Template, fsys fs.FS, file string) error {
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return err
	}
	_, err = t.Parse(string(src))
	return err
}

// Names returns the page names, sorted.
func (s *Set) Names() []string {
	names := make([]string, 0, len(s.pages))
	for n := range s.pages {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render executes page with data and writes the result to w only when the
// whole page rendered, so a template error never sends half a page.
func (s *Set) Render(w io.Writer, page string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("pages: no page %q", page)
	}
	b := buffers.Get().(*bytes.Buffer)
	defer func() {
		b.Reset()
		buffers.Put(b)
	}()
	if err := t.ExecuteTemplate(b, Layout, data); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Text renders the shared template name, which must be plain text (no
// action, no HTML tag: a chat client shows it as it is), and returns it
// with its HTML entities decoded and its runs of white space made one
// space.
func (s *Set) Text(name string) (string, error) {
	for _, t := range s.pages { // every page holds every shared template
		block := t.Lookup(name)
		if block == nil || block.Tree == nil {
			return "", fmt.Errorf("pages: no template %q", name)
		}
		if !plainText(block.Tree.Root) {
			return "", fmt.Errorf("pages: template %q must be plain text, without {{…}}", name)
		}
		src := block.Tree.Root.String()
		if strings.ContainsAny(src, "<>") {
			return "", fmt.Errorf("pages: template %q must be plain text, without HTML tags", name)
		}
		text := strings.Join(strings.Fields(html.UnescapeString(src)), " ")
		if text == "" {
			return "", fmt.Errorf("pages: template %q is empty", name)
		}
		return text, nil
	}
	return "", fmt.Errorf("pages: no template %q", name)
}
