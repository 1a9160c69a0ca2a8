package ledger

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// memStorage is a Storage in memory whose entries tests may tamper with:
// entries of all chains in append order, and the bounds of each chain.
type memStorage struct {
	mu      sync.Mutex
	entries []Entry
	bounds  map[string]*Bounds
	saved   map[string]Checkpoint
}

func (m *memStorage) chain(name string) *Bounds {
	if m.bounds == nil {
		m.bounds, m.saved = map[string]*Bounds{}, map[string]Checkpoint{}
	}
	b := m.bounds[name]
	if b == nil {
		b = &Bounds{Chain: name}
		m.bounds[name] = b
	}
	return b
}

func (m *memStorage) AppendEntry(_ context.Context, chain string, build func(Head) (Entry, error)) (Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.chain(chain)
	e, err := build(b.Head)
	if err != nil {
		return Entry{}, err
	}
	m.entries = append(m.entries, e)
	b.Head = Head{Seq: e.Seq, Hash: e.Hash}
	return e, nil
}

func (m *memStorage) Chains(context.Context) ([]Bounds, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Bounds
	for _, b := range m.bounds {
		out = append(out, *b)
	}
	slices.SortFunc(out, func(a, b Bounds) int { return strings.Compare(a.Chain, b.Chain) })
	return out, nil
}

func (m *memStorage) Entries(_ context.Context, chain string, after int64, limit int) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Entry
	for _, e := range m.entries {
		if e.Chain == chain && e.Seq > after && len(out) < limit {
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

func (m *memStorage) PurgeBefore(_ context.Context, cutoff time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	kept := m.entries[:0:0]
	n := 0
	for _, e := range m.entries {
		b := m.chain(e.Chain)
		if e.Time.Before(cutoff) && e.Seq == b.Anchor.Seq+1 {
			b.Anchor = Head{Seq: e.Seq, Hash: e.Hash}
			n++
			continue
		}
		kept = append(kept, e)
	}
	m.entries = kept
	return n, nil
}

func (m *memStorage) Unanchored(_ context.Context, limit int) ([]Bounds, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Bounds
	for name, b := range m.bounds {
		if b.Head.Seq > m.saved[name].Seq && len(out) < limit {
			out = append(out, *b)
		}
	}
	return out, nil
}

func (m *memStorage) SaveCheckpoint(_ context.Context, cp Checkpoint) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.chain(cp.Chain)
	if cp.Seq > m.saved[cp.Chain].Seq {
		m.saved[cp.Chain] = cp
	}
	return nil
}

func (m *memStorage) LatestCheckpoint(_ context.Context, chain string) (*Checkpoint, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cp, ok := m.saved[chain]; ok {
		return &cp, nil
	}
	return nil, nil
}
