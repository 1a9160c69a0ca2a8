package testpki

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"sync"
)

// KeyBits is the size of every generated RSA key.
const KeyBits = 2048

// keyCache memoises RSA keys by name for the life of the process. It is
// package state on purpose: tests in one process share keys, which turns
// seconds of key generation per test into once per name. Keys are never
// replaced, so the cache is not observable beyond speed.
type keyCache struct {
	mu   sync.Mutex
	keys map[string]*keyEntry
}

// keyEntry lets two goroutines asking for different names generate in
// parallel while a second request for the same name waits for the first.
type keyEntry struct {
	once sync.Once
	key  *rsa.PrivateKey
	err  error
}

var cache = keyCache{keys: make(map[string]*keyEntry)}

// Key returns the RSA-2048 key for name, generating it on first use in
// this process and returning the same key afterwards.
func Key(name string) (*rsa.PrivateKey, error) {
	cache.mu.Lock()
	e, ok := cache.keys[name]
	if !ok {
		e = &keyEntry{}
		cache.keys[name] = e
	}
	cache.mu.Unlock()
	e.once.Do(func() {
		e.key, e.err = rsa.GenerateKey(rand.Reader, KeyBits)
		if e.err != nil {
			e.err = fmt.Errorf("testpki: generating key %q: %w", name, e.err)
		}
	})
	return e.key, e.err
}
