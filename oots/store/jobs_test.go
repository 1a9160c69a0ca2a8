package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

var jobT0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func TestJobsEnqueueClaimComplete(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			q := s.Jobs()
			created, err := q.Enqueue(ctx, NewJob{ID: "timeout/req-1", Kind: "timeout", Payload: `{"request":"req-1"}`, RunAt: jobT0})
			if err != nil || !created {
				t.Fatalf("Enqueue = %v, %v", created, err)
			}
			if again, err := q.Enqueue(ctx, NewJob{ID: "timeout/req-1", Kind: "timeout", Payload: "other", RunAt: jobT0}); err != nil || again {
				t.Fatalf("second Enqueue of one id = %v, %v; want no new job", again, err)
			}
			if _, err := q.Enqueue(ctx, NewJob{Kind: "retry", RunAt: jobT0.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			if got, _, err := q.Claim(ctx, "w1", jobT0.Add(-time.Second), time.Minute, 10); err != nil || len(got) != 0 {
				t.Fatalf("claim before RunAt = %v, %v", got, err)
			}
			got, _, err := q.Claim(ctx, "w1", jobT0, time.Minute, 10)
			if err != nil || len(got) != 1 {
				t.Fatalf("claim at RunAt = %+v, %v", got, err)
			}
			j := got[0]
			if j.ID != "timeout/req-1" || j.Payload != `{"request":"req-1"}` || j.Attempt != 1 || j.MaxAttempts != DefaultMaxAttempts || !j.LeaseUntil.Equal(jobT0.Add(time.Minute)) {
				t.Fatalf("claimed %+v", j)
			}
			info, err := q.Job(ctx, j.ID)
			if err != nil || info.State != "running" || info.LeaseOwner != "w1" || info.Attempts != 1 {
				t.Fatalf("stored %+v, %v", info, err)
			}
			if err := q.Complete(ctx, j.ID, "w2"); !errors.Is(err, ErrLeaseLost) {
				t.Fatalf("Complete by another worker = %v, want ErrLeaseLost", err)
			}
			if err := q.Complete(ctx, j.ID, "w1"); err != nil {
				t.Fatal(err)
			}
			if _, err := q.Job(ctx, j.ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("completed job still stored: %v", err)
			}
			if err := q.Complete(ctx, j.ID, "w1"); !errors.Is(err, ErrLeaseLost) {
				t.Fatalf("second Complete = %v", err)
			}
		})
	}
}

func TestJobsFailBacksOffThenDies(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			q := s.Jobs()
			if _, err := q.Enqueue(ctx, NewJob{ID: "send/1", Kind: "send", RunAt: jobT0, MaxAttempts: 2}); err != nil {
				t.Fatal(err)
			}
			got, _, _ := q.Claim(ctx, "w1", jobT0, time.Minute, 1)
			if len(got) != 1 {
				t.Fatal("not claimed")
			}
			if _, err := q.Fail(ctx, "send/1", "w2", jobT0, "x"); !errors.Is(err, ErrLeaseLost) {
				t.Fatalf("Fail by another worker = %v", err)
			}
			dead, err := q.Fail(ctx, "send/1", "w1", jobT0, "access point 1 down\x00\xff")
			if err != nil || dead {
				t.Fatalf("first Fail = %v, %v", dead, err)
			}
			info, _ := q.Job(ctx, "send/1")
			if info.State != "queued" || !info.RunAt.Equal(jobT0.Add(30*time.Second)) || info.LastError != "access point 1 down?" || info.LeaseOwner != "" {
				t.Fatalf("after first failure %+v", info)
			}
			if got, _, _ := q.Claim(ctx, "w1", jobT0.Add(29*time.Second), time.Minute, 1); len(got) != 0 {
				t.Fatal("claimed during back-off")
			}
			got, _, _ = q.Claim(ctx, "w1", jobT0.Add(30*time.Second), time.Minute, 1)
			if len(got) != 1 || got[0].Attempt != 2 {
				t.Fatalf("retry claim = %+v", got)
			}
			if dead, err := q.Fail(ctx, "send/1", "w1", jobT0, "again"); err != nil || !dead {
				t.Fatalf("last Fail = %v, %v; want dead", dead, err)
			}
			if got, _, _ := q.Claim(ctx, "w1", jobT0.Add(48*time.Hour), time.Minute, 10); len(got) != 0 {
				t.Fatal("dead job claimed")
			}
			if info, _ := q.Job(ctx, "send/1"); info.State != "dead" || info.LastError != "again" {
				t.Fatalf("dead job %+v", info)
			}
		})
	}
}

func TestJobsLeaseExpiryRecoversCrashedWorker(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			q := s.Jobs()
			if _, err := q.Enqueue(ctx, NewJob{ID: "a", Kind: "timeout", RunAt: jobT0, MaxAttempts: 2}); err != nil {
				t.Fatal(err)
			}
			if got, _, _ := q.Claim(ctx, "crashed", jobT0, time.Minute, 1); len(got) != 1 {
				t.Fatal("not claimed")
			}
			if got, _, _ := q.Claim(ctx, "w2", jobT0.Add(59*time.Second), time.Minute, 1); len(got) != 0 {
				t.Fatal("claimed while the lease holds")
			}
			got, _, err := q.Claim(ctx, "w2", jobT0.Add(time.Minute), time.Minute, 1)
			if err != nil || len(got) != 1 || got[0].Attempt != 2 {
				t.Fatalf("claim after lease ran out = %+v, %v", got, err)
			}
			if err := q.Complete(ctx, "a", "crashed"); !errors.Is(err, ErrLeaseLost) {
				t.Fatalf("late Complete by the crashed worker = %v", err)
			}
			// w2 crashes too, on the last attempt: the job dies, and the
			// claim says so, so that what waited for it can be settled.
			got, dead, _ := q.Claim(ctx, "w3", jobT0.Add(3*time.Minute), time.Minute, 1)
			if len(got) != 0 {
				t.Fatal("job claimed beyond MaxAttempts")
			}
			if len(dead) != 1 || dead[0].ID != "a" || dead[0].Kind != "timeout" {
				t.Fatalf("dead jobs reported by the claim = %+v; want job a", dead)
			}
			if _, dead, _ := q.Claim(ctx, "w3", jobT0.Add(4*time.Minute), time.Minute, 1); len(dead) != 0 {
				t.Fatalf("a dead job was reported twice: %+v", dead)
			}
			if info, _ := q.Job(ctx, "a"); info.State != "dead" || !strings.Contains(info.LastError, "lease") {
				t.Fatalf("after last lease ran out %+v", info)
			}
		})
	}
}

func TestJobsExtendKeepsTheLease(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			q := s.Jobs()
			if _, err := q.Enqueue(ctx, NewJob{ID: "long", Kind: "k", RunAt: jobT0}); err != nil {
				t.Fatal(err)
			}
			if got, _, _ := q.Claim(ctx, "w1", jobT0, time.Minute, 1); len(got) != 1 {
				t.Fatal("not claimed")
			}
			if err := q.Extend(ctx, "long", "w1", jobT0.Add(50*time.Second), time.Minute); err != nil {
				t.Fatal(err)
			}
			if got, _, _ := q.Claim(ctx, "w2", jobT0.Add(90*time.Second), time.Minute, 1); len(got) != 0 {
				t.Fatal("extended lease not honoured")
			}
			if err := q.Extend(ctx, "long", "w2", jobT0.Add(60*time.Second), time.Minute); !errors.Is(err, ErrLeaseLost) {
				t.Fatalf("Extend by another worker = %v", err)
			}
			// Too late: the lease ran out at 110 s; extending it now could
			// overlap a new owner's run.
			if err := q.Extend(ctx, "long", "w1", jobT0.Add(111*time.Second), time.Minute); !errors.Is(err, ErrLeaseLost) {
				t.Fatalf("Extend of a lapsed lease = %v", err)
			}
			if got, _, _ := q.Claim(ctx, "w2", jobT0.Add(111*time.Second), time.Minute, 1); len(got) != 1 {
				t.Fatal("lapsed lease not claimable")
			}
		})
	}
}

func TestJobsRefuseBadInput(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, want string
		j          NewJob
	}{
		{"no kind", "Kind", NewJob{RunAt: jobT0}},
		{"oversize kind", "Kind", NewJob{Kind: strings.Repeat("k", 65), RunAt: jobT0}},
		{"oversize payload", "Payload", NewJob{Kind: "k", Payload: strings.Repeat("p", MaxJobPayload+1), RunAt: jobT0}},
		{"NUL in payload", "NUL", NewJob{Kind: "k", Payload: "a\x00b", RunAt: jobT0}},
		{"oversize id", "ID", NewJob{ID: strings.Repeat("i", 201), Kind: "k", RunAt: jobT0}},
		{"negative attempts", "MaxAttempts", NewJob{Kind: "k", RunAt: jobT0, MaxAttempts: -1}},
		{"no run time", "RunAt", NewJob{Kind: "k"}},
	}
	for name, s := range testStores(t) {
		for _, tc := range tests {
			if _, err := s.Jobs().Enqueue(ctx, tc.j); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s/%s: error = %v, want one naming %s", name, tc.name, err, tc.want)
			}
		}
		if _, _, err := s.Jobs().Claim(ctx, "", jobT0, time.Minute, 1); err == nil {
			t.Errorf("%s: claim without owner accepted", name)
		}
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM jobs`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: refused jobs stored: %d %v", name, n, err)
		}
	}
}

func TestJobsTwoHandlesNeverClaimOneJobTwice(t *testing.T) {
	ctx := context.Background()
	const jobs = 300
	for name, pair := range sharedStores(t) {
		t.Run(name, func(t *testing.T) {
			for i := range jobs {
				if _, err := pair[0].Jobs().Enqueue(ctx, NewJob{ID: fmt.Sprintf("j%03d", i), Kind: "k", RunAt: jobT0}); err != nil {
					t.Fatal(err)
				}
			}
			var (
				mu      sync.Mutex
				claimed = map[string]string{}
				wg      sync.WaitGroup
			)
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					q, owner := pair[w%2].Jobs(), fmt.Sprintf("worker-%d", w)
					for {
						got, _, err := q.Claim(ctx, owner, jobT0, time.Hour, 3)
						if err != nil {
							t.Error(err)
							return
						}
						if len(got) == 0 {
							return
						}
						for _, j := range got {
							mu.Lock()
							if prev, dup := claimed[j.ID]; dup {
								t.Errorf("job %s claimed by %s and %s", j.ID, prev, owner)
							}
							claimed[j.ID] = owner
							mu.Unlock()
							if err := q.Complete(ctx, j.ID, owner); err != nil {
								t.Error(err)
							}
						}
					}
				}()
			}
			wg.Wait()
			if len(claimed) != jobs {
				t.Fatalf("%d of %d jobs claimed", len(claimed), jobs)
			}
			owners := map[string]int{}
			for _, o := range claimed {
				owners[o]++
			}
			t.Logf("claims per worker: %v", owners)
		})
	}
}

func TestBackoff(t *testing.T) {
	for attempts, want := range map[int]time.Duration{
		0: 30 * time.Second, 1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 7: 32 * time.Minute, 8: time.Hour, 100: time.Hour,
	} {
		if got := Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
}

// BenchmarkJobClaim measures claiming and completing one due job, and ten
// at a time, against the baseline of enqueueing one job on the same
// database. Jobs are enqueued before the timer starts.
func BenchmarkJobClaim(b *testing.B) {
	ctx := context.Background()
	for name, s := range benchStores(b) {
		q := s.Jobs()
		b.Run(name+"/baseline-enqueue", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := q.Enqueue(ctx, NewJob{Kind: "base", RunAt: jobT0.Add(1000 * time.Hour)}); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, batch := range []int{1, 10} {
			b.Run(fmt.Sprintf("%s/claim-complete-batch-%d", name, batch), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := q.Enqueue(ctx, NewJob{Kind: "due", RunAt: jobT0}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportAllocs()
				b.ResetTimer()
				for done := 0; done < b.N; {
					got, _, err := q.Claim(ctx, "bench", jobT0, time.Hour, batch)
					if err != nil || len(got) == 0 {
						b.Fatalf("claim after %d: %v", done, err)
					}
					for _, j := range got {
						if err := q.Complete(ctx, j.ID, "bench"); err != nil {
							b.Fatal(err)
						}
					}
					done += len(got)
				}
			})
		}
	}
}

// The process that enqueued a job can run it at once; a job some worker
// already holds is not handed out twice.
func TestJobsClaimQueuedTakesOnlyAQueuedJob(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			q := s.Jobs()
			if _, err := q.Enqueue(ctx, NewJob{ID: "send/r1", Kind: "send", Payload: `{"request":"r1"}`, RunAt: jobT0}); err != nil {
				t.Fatal(err)
			}
			j, ok, err := q.ClaimQueued(ctx, "send/r1", "w1", jobT0, time.Minute)
			if err != nil || !ok || j.Kind != "send" || j.Payload != `{"request":"r1"}` || j.Attempt != 1 || !j.LeaseUntil.Equal(jobT0.Add(time.Minute)) {
				t.Fatalf("ClaimQueued = %+v, %v, %v", j, ok, err)
			}
			if _, ok, err := q.ClaimQueued(ctx, "send/r1", "w2", jobT0, time.Minute); ok || err != nil {
				t.Fatalf("second ClaimQueued = %v, %v; want not claimed", ok, err)
			}
			if got, _, _ := q.Claim(ctx, "w2", jobT0.Add(time.Second), time.Minute, 10); len(got) != 0 {
				t.Fatalf("a held job was claimed again: %+v", got)
			}
			if _, ok, _ := q.ClaimQueued(ctx, "nope", "w1", jobT0, time.Minute); ok {
				t.Fatal("claimed a job that does not exist")
			}
			if err := q.Complete(ctx, "send/r1", "w1"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A worker that died holding jobs and comes back under the same name
// takes them up at once instead of waiting for its leases to run out;
// other workers' jobs stay theirs.
func TestJobsReleaseOwnerAfterRestart(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			q := s.Jobs()
			for _, id := range []string{"a", "b"} {
				if _, err := q.Enqueue(ctx, NewJob{ID: id, Kind: "k", RunAt: jobT0}); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := q.ClaimQueued(ctx, "a", "host/data-1", jobT0, time.Hour); err != nil {
				t.Fatal(err)
			}
			if _, _, err := q.ClaimQueued(ctx, "b", "host/data-2", jobT0, time.Hour); err != nil {
				t.Fatal(err)
			}
			restart := jobT0.Add(time.Second)
			if n, err := q.ReleaseOwner(ctx, "host/data-1", restart); err != nil || n != 1 {
				t.Fatalf("ReleaseOwner = %d, %v; want 1", n, err)
			}
			got, _, err := q.Claim(ctx, "host/data-1", restart, time.Minute, 10)
			// The run the restart cut short was not a failed attempt.
			if err != nil || len(got) != 1 || got[0].ID != "a" || got[0].Attempt != 1 {
				t.Fatalf("claim after restart = %+v, %v; want job a, attempt 1", got, err)
			}
		})
	}
}

// A job cut short by many more restarts than its attempts (a long send
// while the service is restarted again and again) still runs: only failed
// runs and vanished workers use up its attempts. Before, the eighth
// restart mid-run killed it and its request waited for ever.
func TestJobsRestartsDoNotUseUpAttempts(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			q := s.Jobs()
			if _, err := q.Enqueue(ctx, NewJob{ID: "send", Kind: "k", RunAt: jobT0, MaxAttempts: 3}); err != nil {
				t.Fatal(err)
			}
			at := jobT0
			for restart := range 20 {
				got, dead, err := q.Claim(ctx, "host/data", at, time.Minute, 10)
				if err != nil || len(got) != 1 || len(dead) != 0 || got[0].Attempt != 1 {
					t.Fatalf("restart %d: claim = %+v, dead %+v, %v; want the job on its first attempt", restart, got, dead, err)
				}
				at = at.Add(time.Second) // killed mid-run; the same worker starts again
				if n, err := q.ReleaseOwner(ctx, "host/data", at); err != nil || n != 1 {
					t.Fatalf("restart %d: ReleaseOwner = %d, %v", restart, n, err)
				}
			}
			got, _, _ := q.Claim(ctx, "host/data", at, time.Minute, 10)
			if len(got) != 1 {
				t.Fatal("job not claimable after the restarts")
			}
			if err := q.Complete(ctx, "send", "host/data"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestDeadWorkersJobIsTakenOverWithinALease runs on the wall clock: a
// job whose worker stopped beating is claimed by another worker once its
// short lease runs out, while a job whose worker keeps its lease is not.
func TestDeadWorkersJobIsTakenOverWithinALease(t *testing.T) {
	const lease = 600 * time.Millisecond
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			q := s.Jobs()
			for _, id := range []string{"send/dead", "send/live"} {
				if _, err := q.Enqueue(ctx, NewJob{ID: id, Kind: "send", RunAt: time.Now().Add(-time.Second)}); err != nil {
					t.Fatal(err)
				}
			}
			if _, ok, err := q.ClaimQueued(ctx, "send/dead", "dead", time.Now(), lease); err != nil || !ok {
				t.Fatalf("claim by the worker that dies = %v, %v", ok, err)
			}
			if _, ok, err := q.ClaimQueued(ctx, "send/live", "live", time.Now(), lease); err != nil || !ok {
				t.Fatalf("claim by the live worker = %v, %v", ok, err)
			}
			beat, stop := context.WithCancel(ctx)
			beating := make(chan error, 1)
			go func() { beating <- q.KeepLease(beat, "send/live", "live", lease, time.Now) }()

			time.Sleep(3 * lease)
			got, _, err := q.Claim(ctx, "other", time.Now(), lease, 10)
			stop()
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].ID != "send/dead" {
				t.Fatalf("after %s the other worker claimed %+v; want only send/dead", 3*lease, got)
			}
			if err := <-beating; err != nil {
				t.Fatalf("KeepLease of the live worker = %v", err)
			}
			if err := q.Complete(ctx, "send/live", "live"); err != nil {
				t.Fatalf("the live worker lost its job: %v", err)
			}
			// The worker that died finds its job gone; its heartbeat says so.
			if err := q.KeepLease(ctx, "send/dead", "dead", lease, time.Now); !errors.Is(err, ErrLeaseLost) {
				t.Fatalf("KeepLease after the take-over = %v, want ErrLeaseLost", err)
			}
		})
	}
}
