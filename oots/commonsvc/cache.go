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
// when it holds more than MaxEntries answers or MaxBytes bytes. It is safe
// for concurrent use. Cached values are shared: callers must not modify
// what a Client returns.
type Cache struct {
	cfg   CacheConfig
	mu    sync.Mutex
	order *list.List // front = most recently used; values are *cacheEntry
	items map[string]*list.Element
	bytes int64
}

type cacheEntry struct {
	key     string
	value   any
	err     error
	size    int64
	expires time.Time
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
	return &Cache{cfg: cfg, order: list.New(), items: map[string]*list.Element{}}
}

// get returns the live entry for key.
func (c *Cache) get(key string) (value any, err error, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.items[key]
	if el == nil {
		return nil, nil, false
	}
	e := el.Value.(*cacheEntry)
	if !c.cfg.Now().Before(e.expires) {
		c.remove(el)
		return nil, nil, false
	}
	c.order.MoveToFront(el)
	return e.value, e.err, true
}

// put stores an answer of size bytes; answers larger than MaxBytes are not
// kept.
func (c *Cache) put(key string, value any, err error, size int64) {
	if size > c.cfg.MaxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el := c.items[key]; el != nil {
		c.remove(el)
	}
	e := &cacheEntry{key: key, value: value, err: err, size: size, expires: c.cfg.Now().Add(c.cfg.TTL)}
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
