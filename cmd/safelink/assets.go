package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"

	"github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/overlay"
	"github.com/blibli/safelink/gateway/pages"
)

// assetFlags are the web team's override directories.
type assetFlags struct {
	templatesDir string
	staticDir    string
}

func (a *assetFlags) register(fs *flag.FlagSet) {
	a.registerTemplates(fs)
	fs.StringVar(&a.staticDir, "static-dir", "", "directory of static file overrides: a file there replaces the embedded one of the same name")
}

// registerTemplates registers the templates directory alone, for commands
// that read the templates' words but serve no page.
func (a *assetFlags) registerTemplates(fs *flag.FlagSet) {
	fs.StringVar(&a.templatesDir, "templates-dir", "", "directory of template overrides: a file there replaces the embedded one of the same name")
}

// templates parses the embedded templates with the overrides over them.
func (a *assetFlags) templates() (*pages.Set, error) {
	return parseTemplates(a.templatesDir)
}

// static returns the embedded static files with the overrides over them.
func (a *assetFlags) static() (fs.FS, error) {
	return withOverrides(a.staticDir, safelink.Static(), "static directory")
}

// parseTemplates parses the embedded templates with the files of dir over
// them; an empty dir parses the embedded ones alone.
func parseTemplates(dir string) (*pages.Set, error) {
	fsys, err := withOverrides(dir, safelink.Templates(), "templates directory")
	if err != nil {
		return nil, err
	}
	set, err := pages.Parse(fsys)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	return set, nil
}

// withOverrides layers dir over base; an empty dir gives base.
func withOverrides(dir string, base fs.FS, what string) (fs.FS, error) {
	if dir == "" {
		return base, nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s: %s is not a directory", what, dir)
	}
	return overlay.New(os.DirFS(dir), base), nil
}

// source names where files come from, for logs and /readyz.
func source(dir string) string {
	if dir == "" {
		return "embedded"
	}
	return dir + " over embedded"
}
