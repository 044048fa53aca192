package rules

import "context"

// Since implements Store.
func (m *MemoryStore) Since(ctx context.Context, revision uint64) ([]Change, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if revision > m.revision {
		return nil, ErrChangesGone
	}
	missed := int(m.revision - revision)
	if missed > len(m.audit) {
		return nil, ErrChangesGone
	}
	return append([]Change(nil), m.audit[len(m.audit)-missed:]...), nil
}
