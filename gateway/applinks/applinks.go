// Package applinks holds the association files that let the Blibli apps
// claim the gateway's links: Apple's apple-app-site-association (universal
// links, iOS) and Android's assetlinks.json (App Links). The operator
// writes them; the gateway checks them and serves them as they are.
package applinks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// The paths the files are served at, as iOS and Android fetch them.
const (
	ApplePath   = "/.well-known/apple-app-site-association"
	AndroidPath = "/.well-known/assetlinks.json"
)

// MaxSize is the largest file accepted: Apple's limit for
// apple-app-site-association, applied to both.
const MaxSize = 128 << 10

// Files are the association files to serve; an empty one is not served.
type Files struct {
	Apple   []byte
	Android []byte
}

// Load reads and checks the files at applePath and androidPath; an empty
// path leaves that file out.
func Load(applePath, androidPath string) (Files, error) {
	var f Files
	var err error
	if f.Apple, err = read(applePath, CheckApple); err != nil {
		return Files{}, fmt.Errorf("apple-app-site-association %s: %w", applePath, err)
	}
	if f.Android, err = read(androidPath, CheckAndroid); err != nil {
		return Files{}, fmt.Errorf("assetlinks %s: %w", androidPath, err)
	}
	return f, nil
}

func read(path string, check func([]byte) error) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return b, check(b)
}

// CheckApple checks an apple-app-site-association file: at most MaxSize
// bytes of one JSON object with an "applinks" object, as iOS requires for
// universal links.
func CheckApple(b []byte) error {
	var doc struct {
		AppLinks *struct {
			Details    json.RawMessage `json:"details"`
			Components json.RawMessage `json:"components"`
		} `json:"applinks"`
	}
	if err := decode(b, &doc); err != nil {
		return err
	}
	if doc.AppLinks == nil {
		return errors.New(`no "applinks" object`)
	}
	if len(doc.AppLinks.Details) == 0 {
		return errors.New(`no "applinks.details": iOS finds no app in it`)
	}
	return nil
}

// CheckAndroid checks an assetlinks.json file: at most MaxSize bytes of a
// JSON array of statements, each with a relation and an android_app
// target naming its package and certificate fingerprints, as Android
// requires to verify App Links.
func CheckAndroid(b []byte) error {
	var statements []struct {
		Relation []string `json:"relation"`
		Target   struct {
			Namespace    string   `json:"namespace"`
			PackageName  string   `json:"package_name"`
			Fingerprints []string `json:"sha256_cert_fingerprints"`
		} `json:"target"`
	}
	if err := decode(b, &statements); err != nil {
		return err
	}
	if len(statements) == 0 {
		return errors.New("no statement")
	}
	for i, s := range statements {
		t := s.Target
		if len(s.Relation) == 0 || t.Namespace != "android_app" || t.PackageName == "" || len(t.Fingerprints) == 0 {
			return fmt.Errorf("statement %d: want a relation and an android_app target with package_name and sha256_cert_fingerprints", i+1)
		}
	}
	return nil
}

// decode reads b, at most MaxSize bytes of exactly one JSON value, into v.
func decode(b []byte, v any) error {
	if len(b) > MaxSize {
		return fmt.Errorf("%d bytes, at most %d", len(b), MaxSize)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("not the expected JSON: %v", err)
	}
	if d.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}
