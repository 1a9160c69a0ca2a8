package secrets

import (
	"fmt"
	"sync"
)

// Memory returns a store that keeps secrets in memory only, for as long
// as the process runs: where neither the OS store nor the encrypted file
// can be used, a session lasts one run.
func Memory() Store { return &memory{m: map[string]string{}} }

type memory struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *memory) Get(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[name]
	if !ok {
		return "", fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	return v, nil
}

func (s *memory) Set(name, value string) error {
	s.mu.Lock()
	s.m[name] = value
	s.mu.Unlock()
	return nil
}

func (s *memory) Delete(name string) error {
	s.mu.Lock()
	delete(s.m, name)
	s.mu.Unlock()
	return nil
}
