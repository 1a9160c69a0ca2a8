package app

import (
	"slices"
	"sync"
)

// hooks are the functions registered to hear of something, in the order
// they were added; add returns the function that removes one again (a
// screen drawn anew stops hearing).
type hooks[F any] struct {
	mu   sync.Mutex
	next uint64
	list []hook[F]
}

type hook[F any] struct {
	id uint64
	f  F
}

// add registers f and returns its removal.
func (h *hooks[F]) add(f F) (remove func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next++
	id := h.next
	h.list = append(h.list, hook[F]{id, f})
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		for i, k := range h.list {
			if k.id == id {
				h.list = slices.Delete(h.list, i, i+1)
				return
			}
		}
	}
}

// all returns the functions registered now.
func (h *hooks[F]) all() []F {
	h.mu.Lock()
	defer h.mu.Unlock()
	fs := make([]F, len(h.list))
	for i, k := range h.list {
		fs[i] = k.f
	}
	return fs
}
