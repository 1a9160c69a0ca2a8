//go:build !nopostgres

package store

import (
	"context"
	"net/url"
	"testing"

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
