package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watchSettle is how long the files must stay quiet after a change before
// the reload, so that an editor's save of several files reloads once.
const watchSettle = 200 * time.Millisecond

// watch calls reload after files in dirs (and their subdirectories at the
// start) change, until ctx ends. A failed
// reload is the reload's to report; watching goes on.
func watch(ctx context.Context, dirs []string, reload func() error, logger *slog.Logger) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	for _, root := range dirs {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			return w.Add(path)
		})
		if err != nil {
			w.Close()
			return fmt.Errorf("watch %s: %w", root, err)
		}
	}
	go func() {
		defer w.Close()
		settle := time.NewTimer(time.Hour)
		settle.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				logger.Debug("file changed", "path", ev.Name, "op", ev.Op.String())
				settle.Reset(watchSettle)
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				logger.Warn("watching files", "err", err)
			case <-settle.C:
				_ = reload() // the reload logs its outcome
			}
		}
	}()
	return nil
}
