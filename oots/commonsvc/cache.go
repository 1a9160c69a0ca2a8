package commonsvc

import (
	"container/list"
	"sync"
	"time"
)

// CacheConfig bounds a Cache.
type CacheConfig struct {
	TTL        time.Duration    // how long an answer is reused; default 1 h
	MaxEntries int              // default 1024
	MaxBytes   int64            // total size of cached answers (their XML size); default 16 MiB
	Now        func() time.Time // clock, for tests; default time.Now
}

// Cache keeps recent look-up answers, successful ones and EB:ERR/DSD:ERR
// error answers alike, for TTL, evicting the least recently used entry
// when it holds more than MaxEntries answers or MaxBytes bytes (the size
// of an answer is its XML size; the parsed values take a small multiple of
// it). Concurrent look-ups of the same query wait for one request and share
// its outcome. A Cache is safe for concurrent use. Cached values are
// shared: callers must not modify what a Client returns.
type Cache struct {
	cfg   CacheConfig
	mu    sync.Mutex
	order *list.List // front = most recently used; values are *cacheEntry
	items map[string]*list.Element
	bytes int64
	// flights holds look-ups under way, so that concurrent callers asking
	// the same thing wait for one network request.
	flights map[string]*flight
}

// flight is one look-up under way; done closes when value and err are set.
type flight struct {
	done   chan struct{}
	answer answerOf
}

type cacheEntry struct {
	key     string
	answer  answerOf
	size    int64
	expires time.Time
}

// answerOf is the outcome of a look-up: a value or a service error answer.
type answerOf struct {
	value any
	err   error
}

// NewCache returns an empty cache; zero fields of cfg take the defaults.
func NewCache(cfg CacheConfig) *Cache {
	if cfg.TTL <= 0 {
		cfg.TTL = time.Hour
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = 1024
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 16 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Cache{cfg: cfg, order: list.New(), items: map[string]*list.Element{}, flights: map[string]*flight{}}
}

// get returns the live entry for key.
func (c *Cache) get(key string) (answerOf, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getLocked(key)
}

func (c *Cache) getLocked(key string) (answerOf, bool) {
	el := c.items[key]
	if el == nil {
		return answerOf{}, false
	}
	e := el.Value.(*cacheEntry)
	if !c.cfg.Now().Before(e.expires) {
		c.remove(el)
		return answerOf{}, false
	}
	c.order.MoveToFront(el)
	return e.answer, true
}

// put stores an answer of size bytes; answers larger than MaxBytes are not
// kept.
func (c *Cache) put(key string, a answerOf, size int64) {
	if size > c.cfg.MaxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el := c.items[key]; el != nil {
		c.remove(el)
	}
	e := &cacheEntry{key: key, answer: a, size: size, expires: c.cfg.Now().Add(c.cfg.TTL)}
	c.items[key] = c.order.PushFront(e)
	c.bytes += size
	for c.order.Len() > c.cfg.MaxEntries || c.bytes > c.cfg.MaxBytes {
		c.remove(c.order.Back())
	}
}

func (c *Cache) remove(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.order.Remove(el)
	delete(c.items, e.key)
	c.bytes -= e.size
}

// join returns the cached answer for key (hit), or else the flight for
// key and whether the caller leads it (must fetch, then call land);
// followers wait on flight.done. Checking the cache and joining under one
// lock means no caller fetches again an answer that just landed.
func (c *Cache) join(key string) (cached answerOf, hit bool, f *flight, leader bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.getLocked(key); ok {
		return a, true, nil, false
	}
	if f := c.flights[key]; f != nil {
		return answerOf{}, false, f, false
	}
	f = &flight{done: make(chan struct{})}
	c.flights[key] = f
	return answerOf{}, false, f, true
}

// land ends the flight for key with its outcome, which followers receive.
func (c *Cache) land(key string, f *flight, a answerOf) {
	c.mu.Lock()
	delete(c.flights, key)
	c.mu.Unlock()
	f.answer = a
	close(f.done)
}

// Len returns the number of cached answers, expired ones included until
// they are next touched.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// Bytes returns the accounted size of the cached answers.
func (c *Cache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}
