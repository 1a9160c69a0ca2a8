package commonsvc

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable clock for cache tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestClientCachesLookups(t *testing.T) {
	srv, _, hits := demoServer(t)
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := clientFor(srv)
	c.Cache = NewCache(CacheConfig{TTL: time.Minute, Now: clock.Now})
	ctx := context.Background()
	q := RequirementsQuery{Procedure: "R1", Country: "LV"}

	first, err := c.Requirements(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Requirements(ctx, q)
	if err != nil || hits.Load() != 1 || len(second) != len(first) || second[0].ID != first[0].ID {
		t.Fatalf("second look-up: err %v, %d requests (want 1)", err, hits.Load())
	}
	// Error answers are cached too, with their code.
	bad := RequirementsQuery{Procedure: "Z9", Country: "LV"}
	for i := 0; i < 2; i++ {
		if _, err := c.Requirements(ctx, bad); CodeOf(err) != EBUnknownProcedure {
			t.Fatalf("look-up %d: %v", i, err)
		}
	}
	if hits.Load() != 2 {
		t.Errorf("%d requests after a repeated error look-up, want 2", hits.Load())
	}
	clock.Advance(59 * time.Second)
	if _, err := c.Requirements(ctx, q); err != nil || hits.Load() != 2 {
		t.Errorf("before expiry: %v, %d requests", err, hits.Load())
	}
	clock.Advance(time.Second)
	if _, err := c.Requirements(ctx, q); err != nil || hits.Load() != 3 {
		t.Errorf("after expiry: %v, %d requests (want 3)", err, hits.Load())
	}
}

func TestCacheBounds(t *testing.T) {
	tests := []struct {
		name       string
		cfg        CacheConfig
		sizes      []int64
		wantKeys   []int // keys still cached, by index
		wantAbsent []int
	}{
		{"max entries evicts least recent", CacheConfig{MaxEntries: 2}, []int64{1, 1, 1}, []int{1, 2}, []int{0}},
		{"max bytes evicts least recent", CacheConfig{MaxBytes: 100}, []int64{40, 40, 40}, []int{1, 2}, []int{0}},
		{"oversize answer not kept", CacheConfig{MaxBytes: 100}, []int64{10, 101}, []int{0}, []int{1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCache(tc.cfg)
			for i, s := range tc.sizes {
				c.put(fmt.Sprint(i), answerOf{value: i}, s)
			}
			for _, k := range tc.wantKeys {
				if a, ok := c.get(fmt.Sprint(k)); !ok || a.value != k {
					t.Errorf("key %d: %v %v, want cached", k, a.value, ok)
				}
			}
			for _, k := range tc.wantAbsent {
				if _, ok := c.get(fmt.Sprint(k)); ok {
					t.Errorf("key %d still cached", k)
				}
			}
			if c.Bytes() > c.cfg.MaxBytes || c.Len() > c.cfg.MaxEntries {
				t.Errorf("cache holds %d entries / %d bytes over its bounds", c.Len(), c.Bytes())
			}
		})
	}
	t.Run("get refreshes recency", func(t *testing.T) {
		c := NewCache(CacheConfig{MaxEntries: 2})
		c.put("a", answerOf{value: 1}, 1)
		c.put("b", answerOf{value: 2}, 1)
		c.get("a")
		c.put("c", answerOf{value: 3}, 1)
		if _, ok := c.get("a"); !ok {
			t.Error("recently read entry evicted")
		}
		if _, ok := c.get("b"); ok {
			t.Error("least recently used entry kept")
		}
	})
	t.Run("replacing a key keeps the byte count", func(t *testing.T) {
		c := NewCache(CacheConfig{})
		c.put("a", answerOf{value: 1}, 30)
		c.put("a", answerOf{value: 2}, 50)
		if c.Len() != 1 || c.Bytes() != 50 {
			t.Errorf("%d entries, %d bytes", c.Len(), c.Bytes())
		}
	})
}

func TestCacheConcurrentUse(t *testing.T) {
	c := NewCache(CacheConfig{MaxEntries: 50, MaxBytes: 1000})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				k := fmt.Sprint((g * i) % 97)
				c.put(k, answerOf{value: i}, int64(i%30))
				c.get(k)
			}
		}(g)
	}
	wg.Wait()
	if c.Len() > 50 || c.Bytes() > 1000 || c.Bytes() < 0 {
		t.Errorf("%d entries, %d bytes", c.Len(), c.Bytes())
	}
}

// TestClientSharesConcurrentLookups: callers asking the same thing at once
// wait for one request to the directory.
func TestClientSharesConcurrentLookups(t *testing.T) {
	d := demo(t)
	h := NewServer(d, nil)
	release := make(chan struct{})
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-release
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c := clientFor(srv)
	c.Cache = NewCache(CacheConfig{})
	const callers = 16
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reqs, err := c.Requirements(context.Background(), RequirementsQuery{Procedure: "R1", Country: "LV"})
			if err == nil && len(reqs) != 1 {
				err = fmt.Errorf("%d requirements", len(reqs))
			}
			errs <- err
		}()
	}
	// Let the callers queue up behind the first request, then answer it.
	deadline := time.Now().Add(5 * time.Second)
	for hits.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d requests for %d concurrent callers, want 1", n, callers)
	}
}
