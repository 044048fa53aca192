// Package safelink holds the files the gateway embeds in its binary: the
// page templates, the static files, the default allowlist and the signal
// patterns.
package safelink

import (
	"embed"
	"io/fs"
)

//go:embed templates/*.html templates/console/* static allowlist/*.txt signals/*.txt
var embedded embed.FS

// Templates returns the embedded page templates.
func Templates() fs.FS { return sub("templates") }

// Console returns the embedded files of the security team's console: its
// templates and its style sheet, apart from the web team's pages.
func Console() fs.FS { return sub("templates/console") }

// Static returns the embedded static files (CSS, icons).
func Static() fs.FS { return sub("static") }

// Allowlist returns the embedded default allowlist files.
func Allowlist() fs.FS { return sub("allowlist") }

// Signals returns the embedded signal pattern files.
func Signals() fs.FS { return sub("signals") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(embedded, dir)
	if err != nil {
		panic(err) // dir is one of the constant names embedded above
	}
	return f
}
