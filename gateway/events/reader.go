package events

import (
	"context"
	"time"
)

// Reader reads stored events back.
type Reader interface {
	// Recent returns up to limit events of kind written at or after since,
	// newest first.
	Recent(ctx context.Context, kind Kind, since time.Time, limit int) ([]Event, error)
}
