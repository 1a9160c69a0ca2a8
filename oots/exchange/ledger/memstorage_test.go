package ledger

import (
	"context"
	"sync"
	"time"
)

// memStorage is a Storage in memory whose entries tests may tamper with.
type memStorage struct {
	mu      sync.Mutex
	entries []Entry
	anchor  Head
	head    Head
}

func (m *memStorage) AppendEntry(_ context.Context, build func(Head) (Entry, error)) (Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, err := build(m.head)
	if err != nil {
		return Entry{}, err
	}
	m.entries = append(m.entries, e)
	m.head = Head{Seq: e.Seq, Hash: e.Hash}
	return e, nil
}

func (m *memStorage) Entries(_ context.Context, after int64, limit int) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Entry
	for _, e := range m.entries {
		if e.Seq > after && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memStorage) EntriesAbout(_ context.Context, person string) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Entry
	for _, e := range m.entries {
		if e.Actor == person || e.OnBehalfOf == person {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memStorage) Bounds(context.Context) (Head, Head, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.anchor, m.head, nil
}

func (m *memStorage) PurgeBefore(_ context.Context, cutoff time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for n < len(m.entries) && m.entries[n].Time.Before(cutoff) {
		n++
	}
	if n > 0 {
		last := m.entries[n-1]
		m.anchor = Head{Seq: last.Seq, Hash: last.Hash}
		m.entries = append([]Entry(nil), m.entries[n:]...)
	}
	return n, nil
}
