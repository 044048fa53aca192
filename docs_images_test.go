package safelink_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// docImage is an image of a Markdown document: ![text](path.png).
var docImage = regexp.MustCompile(`!\[[^\]]+\]\(([^)\s]+\.png)\)`)

// TestDocsImagesExistAndAreUsed checks the screenshots of the guides:
// every image a document under docs shows exists, and every PNG under
// docs is shown by some document, so that no stale one is kept.
func TestDocsImagesExistAndAreUsed(t *testing.T) {
	docs, err := filepath.Glob(filepath.Join("docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var shown []string
	for _, doc := range docs {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range docImage.FindAllStringSubmatch(string(text), -1) {
			image := filepath.Join("docs", filepath.FromSlash(m[1]))
			shown = append(shown, image)
			if _, err := os.Stat(image); err != nil {
				t.Errorf("%s shows %s, which is missing (make console-screenshots writes the console's)", doc, m[1])
			}
		}
	}
	err = filepath.WalkDir("docs", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".png" {
			return err
		}
		if !slices.Contains(shown, path) {
			t.Errorf("%s is in no document under docs; remove it or show it", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
