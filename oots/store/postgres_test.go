//go:build !nopostgres

package store

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/pgtest"
)

// The PostgreSQL pool opens all its connections at start, so that the
// first burst of work does not wait while they are opened (at 500
// creates a second that made the first second's creates wait up to
// 350 ms), and holds defaultMaxConns of them unless the DSN's
// pool_max_conns says otherwise.
func TestPostgresPoolIsOpenAtStart(t *testing.T) {
	dsn := pgtest.Fresh(t)
	if dsn == "" {
		t.Skipf("PostgreSQL only: set %s (make test starts one; CI requires it)", pgtest.Env)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		param string
		want  int
	}{{"", int(defaultMaxConns())}, {"3", 3}} {
		q := u.Query()
		q.Del("pool_max_conns")
		if tc.param != "" {
			q.Set("pool_max_conns", tc.param)
		}
		u.RawQuery = q.Encode()
		s, err := Open(context.Background(), u.String(), nil)
		if err != nil {
			t.Fatal(err)
		}
		st := s.PoolStats()
		s.Close()
		if st.MaxOpenConnections != tc.want || st.OpenConnections != tc.want || st.Idle != tc.want {
			t.Errorf("pool_max_conns=%q: at most %d, %d open, %d idle; want %d of each", tc.param, st.MaxOpenConnections, st.OpenConnections, st.Idle, tc.want)
		}
	}
}

// Processes sharing a database hear each other's broadcasts, their own
// too, in the order they were made; an oversize payload is refused
// before anything is sent.
func TestBroadcastsReachEveryProcessOnTheDatabase(t *testing.T) {
	dsn := pgtest.Fresh(t)
	if dsn == "" {
		t.Skipf("PostgreSQL only: set %s (make test starts one; CI requires it)", pgtest.Env)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stores []*Store
	for range 2 {
		s, err := Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	heard := make(chan string, 10)
	ready := make(chan struct{})
	stopped := make(chan error, 1)
	go func() { stopped <- stores[0].Listen(ctx, func() { close(ready) }, func(p string) { heard <- p }) }()
	<-ready
	if err := stores[1].Broadcast(ctx, "one", "two"); err != nil {
		t.Fatal(err)
	}
	if err := stores[0].Broadcast(ctx, "three"); err != nil {
		t.Fatal(err)
	}
	if err := stores[1].Broadcast(ctx, "a", strings.Repeat("x", MaxBroadcast+1)); err == nil {
		t.Error("an oversize payload was taken")
	}
	for _, want := range []string{"one", "two", "three"} {
		select {
		case got := <-heard:
			if got != want {
				t.Fatalf("heard %q, want %q", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%q not heard", want)
		}
	}
	cancel()
	if err := <-stopped; !errors.Is(err, context.Canceled) {
		t.Errorf("Listen ended with %v, want the context's end", err)
	}
	select {
	case p := <-heard:
		t.Errorf("heard %q, sent with an oversize payload", p)
	default:
	}
}
