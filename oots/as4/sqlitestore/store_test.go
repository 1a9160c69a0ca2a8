package sqlitestore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
)

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOutboxSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "as4.db")
	s := open(t, path)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, id := range []string{"b", "a", "c"} {
		if err := s.Add(ctx, as4.OutboxEntry{MessageID: id, Data: []byte("data-" + id), Created: t0.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Add(ctx, as4.OutboxEntry{MessageID: "a", Data: []byte("again")}); !errors.Is(err, as4.ErrExists) {
		t.Fatalf("second add of a: %v", err)
	}
	if err := s.Finish(ctx, "a", "sent", "receipt r1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, "zzz", "sent", ""); err == nil {
		t.Fatal("finish of an unknown id succeeded")
	}
	s.Close()

	s = open(t, path)
	got, err := s.Pending(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].MessageID != "b" || got[1].MessageID != "c" || string(got[1].Data) != "data-c" || !got[0].Created.Equal(t0) {
		t.Fatalf("pending after reopen: %+v", got)
	}
	if err := s.Add(ctx, as4.OutboxEntry{MessageID: "a"}); !errors.Is(err, as4.ErrExists) {
		t.Fatalf("finished id re-added: %v", err)
	}
}

func TestClaimLifecycle(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "as4.db"))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	lease := time.Minute
	steps := []struct {
		name    string
		do      func() (as4.ClaimState, []byte, error)
		want    as4.ClaimState
		receipt string
	}{
		{"first claim", func() (as4.ClaimState, []byte, error) { return s.Claim(ctx, "m1", lease) }, as4.Fresh, ""},
		{"second claim while held", func() (as4.ClaimState, []byte, error) { return s.Claim(ctx, "m1", lease) }, as4.InProgress, ""},
		{"after release", func() (as4.ClaimState, []byte, error) {
			if err := s.Release(ctx, "m1"); err != nil {
				return 0, nil, err
			}
			return s.Claim(ctx, "m1", lease)
		}, as4.Fresh, ""},
		{"expired claim is taken over", func() (as4.ClaimState, []byte, error) {
			now = now.Add(2 * lease)
			return s.Claim(ctx, "m1", lease)
		}, as4.Fresh, ""},
		{"after complete", func() (as4.ClaimState, []byte, error) {
			if err := s.Complete(ctx, "m1", []byte("<receipt/>")); err != nil {
				return 0, nil, err
			}
			return s.Claim(ctx, "m1", lease)
		}, as4.Done, "<receipt/>"},
		{"done survives an expired lease and a release", func() (as4.ClaimState, []byte, error) {
			now = now.Add(10 * lease)
			if err := s.Release(ctx, "m1"); err != nil {
				return 0, nil, err
			}
			return s.Claim(ctx, "m1", lease)
		}, as4.Done, "<receipt/>"},
	}
	for _, st := range steps {
		state, receipt, err := st.do()
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if state != st.want || string(receipt) != st.receipt {
			t.Fatalf("%s: state %v receipt %q, want %v %q", st.name, state, receipt, st.want, st.receipt)
		}
	}
	n, err := s.Purge(ctx, now.Add(time.Second))
	if err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if state, _, _ := s.Claim(ctx, "m1", lease); state != as4.Fresh {
		t.Fatalf("after purge: %v", state)
	}
}

// TestConcurrentClaimsAcrossConnections opens the same file twice, as two
// listeners in two data centres would, and races claims on the same ids.
func TestConcurrentClaimsAcrossConnections(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	stores := []*Store{open(t, path), open(t, path)}
	const ids, racers = 20, 4
	fresh := make([]int, ids)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for r := 0; r < racers; r++ {
		wg.Add(1)
		go func(s *Store) {
			defer wg.Done()
			for i := 0; i < ids; i++ {
				state, _, err := s.Claim(ctx, fmt.Sprintf("m%d", i), time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if state == as4.Fresh {
					mu.Lock()
					fresh[i]++
					mu.Unlock()
				}
			}
		}(stores[r%2])
	}
	wg.Wait()
	for i, n := range fresh {
		if n != 1 {
			t.Errorf("m%d claimed fresh %d times", i, n)
		}
	}
}

func TestReceivedSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "as4.db")
	s := open(t, path)
	if state, _, err := s.Claim(ctx, "m1", time.Hour); err != nil || state != as4.Fresh {
		t.Fatalf("claim: %v %v", state, err)
	}
	if err := s.Complete(ctx, "m1", []byte("<r/>")); err != nil {
		t.Fatal(err)
	}
	if state, _, err := s.Claim(ctx, "m2", time.Hour); err != nil || state != as4.Fresh {
		t.Fatalf("claim m2: %v %v", state, err)
	}
	s.Close() // crash while m2 is being processed

	s = open(t, path)
	if state, receipt, err := s.Claim(ctx, "m1", time.Hour); err != nil || state != as4.Done || string(receipt) != "<r/>" {
		t.Fatalf("m1 after reopen: %v %q %v", state, receipt, err)
	}
	if state, _, err := s.Claim(ctx, "m2", time.Hour); err != nil || state != as4.InProgress {
		t.Fatalf("m2 after reopen (lease still running): %v %v", state, err)
	}
}
