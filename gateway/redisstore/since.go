package redisstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/blibli/safelink/gateway/rules"
)

// sincePage is how many audit entries Since reads at a time.
const sincePage = 100

// maxMissed is the most changes Since returns: past it, a full List is
// cheaper than replaying them.
const maxMissed = 10_000

// Since implements rules.Store. It reads the audit stream from its newest
// entry back to the change after revision.
func (s *Rules) Since(ctx context.Context, revision uint64) ([]rules.Change, error) {
	current, err := s.client.Get(ctx, s.revision).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	var now uint64
	if current != "" {
		if now, err = strconv.ParseUint(current, 10, 64); err != nil {
			return nil, fmt.Errorf("rule revision %q: %w", current, err)
		}
	}
	switch {
	case now == revision:
		return nil, nil
	case now < revision, now-revision > maxMissed:
		return nil, rules.ErrChangesGone
	}
	var missed []rules.Change // newest first
	for end := "+"; ; {
		entries, err := s.client.XRevRangeN(ctx, s.audit, end, "-", sincePage).Result()
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			msg, _ := e.Values["change"].(string)
			c, err := decodeChange(msg)
			if err != nil {
				return nil, fmt.Errorf("audit entry %s: %w", e.ID, err)
			}
			if c.Revision <= revision {
				slices.Reverse(missed)
				return missed, nil
			}
			missed = append(missed, c)
		}
		if len(entries) < sincePage {
			if len(missed) > 0 && missed[len(missed)-1].Revision == revision+1 {
				slices.Reverse(missed)
				return missed, nil
			}
			return nil, rules.ErrChangesGone // trimmed past revision
		}
		end = "(" + entries[len(entries)-1].ID
	}
}
