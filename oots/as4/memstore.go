package as4

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

// MemStore is an Outbox and DuplicateStore in memory, for tests and the
// embedded demo. It does not survive a restart; use sqlitestore for that.
// Create it with NewMemStore.
type MemStore struct {
	mu       sync.Mutex
	outbox   map[string]*memOutbox
	received map[string]*memReceived
	now      func() time.Time
}

type memOutbox struct {
	e      OutboxEntry
	status string
}

type memReceived struct {
	claimed time.Time
	receipt []byte
	done    bool
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore {
	return &MemStore{outbox: map[string]*memOutbox{}, received: map[string]*memReceived{}, now: time.Now}
}

// Add implements Outbox.
func (m *MemStore) Add(_ context.Context, e OutboxEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.outbox[e.MessageID]; ok {
		return fmt.Errorf("outbox add %s: %w", e.MessageID, ErrExists)
	}
	m.outbox[e.MessageID] = &memOutbox{e: e}
	return nil
}

// Pending implements Outbox.
func (m *MemStore) Pending(_ context.Context, limit int) ([]OutboxEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []OutboxEntry
	for _, o := range m.outbox {
		if o.status == "" {
			out = append(out, o.e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Finish implements Outbox.
func (m *MemStore) Finish(_ context.Context, id, status, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.outbox[id]
	if !ok {
		return fmt.Errorf("outbox finish %s: not found", id)
	}
	o.status = status
	return nil
}

// Claim implements DuplicateStore.
func (m *MemStore) Claim(_ context.Context, id string, lease time.Duration) (ClaimState, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	r, ok := m.received[id]
	switch {
	case !ok:
		m.received[id] = &memReceived{claimed: now}
		return Fresh, nil, nil
	case r.done:
		return Done, r.receipt, nil
	case now.Sub(r.claimed) >= lease:
		r.claimed = now
		return Fresh, nil, nil
	default:
		return InProgress, nil, nil
	}
}

// Complete implements DuplicateStore.
func (m *MemStore) Complete(_ context.Context, id string, receipt []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.received[id] = &memReceived{done: true, receipt: receipt}
	return nil
}

// Release implements DuplicateStore.
func (m *MemStore) Release(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.received[id]; ok && !r.done {
		delete(m.received, id)
	}
	return nil
}
