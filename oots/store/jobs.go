package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrLeaseLost is returned when a worker completes or fails a job it no
// longer holds: its lease ran out and another worker claimed the job.
var ErrLeaseLost = errors.New("job lease lost")

// Job limits.
const (
	// MaxJobPayload is the largest job payload, in bytes.
	MaxJobPayload = 64 << 10
	// DefaultMaxAttempts is used when a NewJob leaves MaxAttempts zero.
	DefaultMaxAttempts = 8
	// retryBase and retryCap bound the back-off after a failure:
	// retryBase·2^(attempts−1), at most retryCap.
	retryBase = 30 * time.Second
	retryCap  = time.Hour
)

// NewJob is a job to enqueue.
type NewJob struct {
	// ID makes enqueueing idempotent (e.g. "timeout/req-1/<deadline>");
	// a random id is chosen when empty.
	ID string
	// Kind says which handler runs the job.
	Kind string
	// Payload is the handler's input, usually JSON.
	Payload string
	// RunAt is the earliest time the job may run.
	RunAt time.Time
	// MaxAttempts bounds the runs before the job is dead;
	// DefaultMaxAttempts when zero.
	MaxAttempts int
}

// Job is a claimed job.
type Job struct {
	ID      string
	Kind    string
	Payload string
	// Attempt is this run's number, from 1.
	Attempt     int
	MaxAttempts int
	// LeaseUntil is when another worker may claim the job again.
	LeaseUntil time.Time
}

// JobInfo is a job's stored state, for inspection.
type JobInfo struct {
	ID, Kind, State, LeaseOwner, LastError string
	RunAt, LeaseUntil                      time.Time
	Attempts, MaxAttempts                  int
}

// Jobs is the durable job queue of time-outs and retries. Several service
// processes may share it: a claim hands each due job to one worker only
// (FOR UPDATE SKIP LOCKED on PostgreSQL, an immediate transaction on
// SQLite) under a lease; a job whose lease runs out (its worker crashed)
// becomes claimable again.
type Jobs struct {
	s *Store
}

// Jobs returns the job queue of s.
func (s *Store) Jobs() Jobs { return Jobs{s: s} }

// Enqueue stores j. It reports false, changing nothing, when a job with
// j.ID is already queued, running or dead.
func (q Jobs) Enqueue(ctx context.Context, j NewJob) (bool, error) {
	return q.s.enqueue(ctx, q.s.w, j)
}

// execer is a database or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// enqueue checks j and inserts it through ex, so a state change and the
// jobs it asks for can be stored in one transaction.
func (s *Store) enqueue(ctx context.Context, ex execer, j NewJob) (bool, error) {
	switch {
	case j.Kind == "" || len(j.Kind) > 64:
		return false, fmt.Errorf("store: enqueue: Kind %q must be 1 to 64 bytes", j.Kind)
	case len(j.Payload) > MaxJobPayload:
		return false, fmt.Errorf("store: enqueue %s: Payload is %d bytes, more than %d", j.Kind, len(j.Payload), MaxJobPayload)
	case len(j.ID) > 200:
		return false, fmt.Errorf("store: enqueue %s: ID is longer than 200 bytes", j.Kind)
	case j.MaxAttempts < 0:
		return false, fmt.Errorf("store: enqueue %s: MaxAttempts %d is negative", j.Kind, j.MaxAttempts)
	case j.RunAt.IsZero():
		return false, fmt.Errorf("store: enqueue %s: RunAt is not set", j.Kind)
	case strings.ContainsRune(j.Payload, 0):
		return false, fmt.Errorf("store: enqueue %s: Payload holds a NUL byte", j.Kind)
	}
	if j.ID == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		j.ID = hex.EncodeToString(b)
	}
	if j.MaxAttempts == 0 {
		j.MaxAttempts = DefaultMaxAttempts
	}
	res, err := ex.ExecContext(ctx, s.q(`INSERT INTO jobs (id, kind, payload, state, run_at_us, attempts, max_attempts, lease_owner, lease_until_us, last_error, created_us)
		VALUES (?, ?, ?, 'queued', ?, 0, ?, '', 0, '', ?) ON CONFLICT (id) DO NOTHING`),
		j.ID, j.Kind, j.Payload, j.RunAt.UnixMicro(), j.MaxAttempts, time.Now().UnixMicro())
	if err != nil {
		return false, fmt.Errorf("store: enqueue %s: %w", j.Kind, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ClaimQueued leases the queued job id to owner until now + lease, so the
// process that just enqueued it can run it at once instead of waiting for
// a worker's next claim. It reports false when the job is not queued any
// more (another worker has it, or it is done).
func (q Jobs) ClaimQueued(ctx context.Context, id, owner string, now time.Time, lease time.Duration) (Job, bool, error) {
	if owner == "" || lease <= 0 {
		return Job{}, false, fmt.Errorf("store: claim %s: owner %q and lease %s must be set", id, owner, lease)
	}
	until := now.Add(lease)
	j := Job{ID: id, LeaseUntil: until}
	err := q.s.w.QueryRowContext(ctx, q.s.q(`UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_until_us = ?, run_at_us = ?
		WHERE id = ? AND state = 'queued' RETURNING kind, payload, attempts, max_attempts`),
		owner, until.UnixMicro(), until.UnixMicro(), id).Scan(&j.Kind, &j.Payload, &j.Attempt, &j.MaxAttempts)
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, false, nil
	}
	if err != nil {
		return Job{}, false, fmt.Errorf("store: claim %s: %w", id, err)
	}
	return j, true, nil
}

// ReleaseOwner ends the leases owner holds, making its running jobs due
// at now: a restarted worker calls it with its stable name, so what it
// was doing when it stopped is taken up at once rather than when the
// lease runs out. The attempt each of those jobs was on is given back:
// a run cut short by a restart (a deploy, a kill, a power cut) did not
// fail, and counting it would let a job die of restarts alone (eight
// restarts while a long send is under way). A job that itself brings the
// process down by panicking is counted by the worker (Fail), and one whose
// worker vanished for good is counted when another worker's Claim finds
// its lease run out. It returns how many jobs it released.
func (q Jobs) ReleaseOwner(ctx context.Context, owner string, now time.Time) (int64, error) {
	res, err := q.s.w.ExecContext(ctx, q.s.q(`UPDATE jobs SET run_at_us = ?, lease_until_us = ?,
		attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
		WHERE state = 'running' AND lease_owner = ?`),
		now.UnixMicro(), now.UnixMicro(), owner)
	if err != nil {
		return 0, fmt.Errorf("store: release the jobs of %s: %w", owner, err)
	}
	return res.RowsAffected()
}

// Claim leases up to limit jobs that are due at now (queued with RunAt ≤
// now, or running with a lease that ran out) to owner until now + lease,
// oldest first, and returns them to run. A job whose lease ran out after
// its last attempt is marked dead instead and returned in dead, never to
// be run, so that the caller can settle what waited for it; together
// they are at most limit jobs.
func (q Jobs) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) (jobs, dead []Job, err error) {
	if owner == "" || lease <= 0 || limit <= 0 {
		return nil, nil, fmt.Errorf("store: claim: owner %q, lease %s and limit %d must be set", owner, lease, limit)
	}
	s := q.s
	nowUS, until := now.UnixMicro(), now.Add(lease)
	err = s.inTx(ctx, "claim", func(tx *sql.Tx) error {
		// Rows another claimer holds are skipped, never waited for.
		lock := ""
		if s.dialect.name == "postgres" {
			lock = " FOR UPDATE SKIP LOCKED"
		}
		rows, err := tx.QueryContext(ctx, s.q(`SELECT id, kind, payload, state, attempts, max_attempts FROM jobs
			WHERE state <> 'dead' AND run_at_us <= ? ORDER BY run_at_us, id LIMIT ?`+lock), nowUS, limit)
		if err != nil {
			return fmt.Errorf("store: claim: %w", err)
		}
		for rows.Next() {
			var (
				j     Job
				state string
			)
			if err := rows.Scan(&j.ID, &j.Kind, &j.Payload, &state, &j.Attempt, &j.MaxAttempts); err != nil {
				rows.Close()
				return fmt.Errorf("store: claim: %w", err)
			}
			if state == "running" && j.Attempt >= j.MaxAttempts {
				dead = append(dead, j)
				continue
			}
			j.Attempt++
			j.LeaseUntil = until
			jobs = append(jobs, j)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: claim: %w", err)
		}
		for _, j := range dead {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE jobs SET state = 'dead', lease_owner = '', last_error = 'lease ran out on the last attempt' WHERE id = ?`), j.ID); err != nil {
				return fmt.Errorf("store: claim: marking job %s dead: %w", j.ID, err)
			}
		}
		for _, j := range jobs {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE jobs SET state = 'running', attempts = ?, lease_owner = ?, lease_until_us = ?, run_at_us = ? WHERE id = ?`),
				j.Attempt, owner, until.UnixMicro(), until.UnixMicro(), j.ID); err != nil {
				return fmt.Errorf("store: claim job %s: %w", j.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return jobs, dead, nil
}

// Extend moves the lease of a job owner still holds to now + lease, for
// runs longer than the first lease. It returns ErrLeaseLost when owner no
// longer holds the job.
func (q Jobs) Extend(ctx context.Context, id, owner string, now time.Time, lease time.Duration) error {
	if lease <= 0 {
		return fmt.Errorf("store: extend job %s: lease %s must be positive", id, lease)
	}
	until := now.Add(lease).UnixMicro()
	res, err := q.s.w.ExecContext(ctx, q.s.q(`UPDATE jobs SET lease_until_us = ?, run_at_us = ? WHERE id = ? AND state = 'running' AND lease_owner = ? AND lease_until_us > ?`),
		until, until, id, owner, now.UnixMicro())
	if err != nil {
		return fmt.Errorf("store: extend job %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("store: extend job %s by %s: %w", id, owner, ErrLeaseLost)
	}
	return nil
}

// KeepLease is a worker's heartbeat for the job id it holds: until ctx
// ends it renews the lease to now + lease every lease/3. A short lease
// kept this way lets a long run go on while the job of a worker that
// died is claimable again within one lease. It returns ErrLeaseLost
// (wrapped) when owner no longer holds the job, and nil when ctx ends.
func (q Jobs) KeepLease(ctx context.Context, id, owner string, lease time.Duration, now func() time.Time) error {
	if lease <= 0 {
		return fmt.Errorf("store: keep the lease of job %s: lease %s must be positive", id, lease)
	}
	t := time.NewTicker(lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		err := q.Extend(ctx, id, owner, now(), lease)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, ErrLeaseLost) {
			return err
		}
		// Any other error (a database hiccup) is retried at the next beat;
		// the lease still has two beats to go.
	}
}

// Complete removes a finished job. It returns ErrLeaseLost when owner no
// longer holds the job.
func (q Jobs) Complete(ctx context.Context, id, owner string) error {
	res, err := q.s.w.ExecContext(ctx, q.s.q(`DELETE FROM jobs WHERE id = ? AND state = 'running' AND lease_owner = ?`), id, owner)
	if err != nil {
		return fmt.Errorf("store: complete job %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("store: complete job %s by %s: %w", id, owner, ErrLeaseLost)
	}
	return nil
}

// Fail records a failed run. The job is queued again after a back-off
// (30 s doubling per attempt, at most an hour) or, after its last
// attempt, marked dead; dead reports which. It returns ErrLeaseLost when
// owner no longer holds the job.
func (q Jobs) Fail(ctx context.Context, id, owner string, now time.Time, reason string) (dead bool, err error) {
	if len(reason) > 1024 {
		reason = reason[:1024]
	}
	s := q.s
	err = s.inTx(ctx, "fail job "+id, func(tx *sql.Tx) error {
		var attempts, maxAttempts int
		err := tx.QueryRowContext(ctx, s.q(`SELECT attempts, max_attempts FROM jobs WHERE id = ? AND state = 'running' AND lease_owner = ?`+s.forUpdate()), id, owner).
			Scan(&attempts, &maxAttempts)
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: fail job %s by %s: %w", id, owner, ErrLeaseLost)
			}
			return fmt.Errorf("store: fail job %s: %w", id, err)
		}
		dead = attempts >= maxAttempts
		state, runAt := "queued", now.Add(Backoff(attempts))
		if dead {
			state = "dead"
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE jobs SET state = ?, run_at_us = ?, lease_owner = '', lease_until_us = 0, last_error = ? WHERE id = ?`),
			state, runAt.UnixMicro(), strings.ToValidUTF8(strings.ReplaceAll(reason, "\x00", ""), "?"), id); err != nil {
			return fmt.Errorf("store: fail job %s: %w", id, err)
		}
		return nil
	})
	return dead && err == nil, err
}

// Backoff is the wait before the next run after attempts failed runs.
func Backoff(attempts int) time.Duration {
	d := retryBase
	for i := 1; i < attempts && d < retryCap; i++ {
		d *= 2
	}
	return min(d, retryCap)
}

// Job returns the stored state of the job id, or ErrNotFound once it
// completed.
func (q Jobs) Job(ctx context.Context, id string) (JobInfo, error) {
	var (
		j            JobInfo
		runAt, lease int64
	)
	err := q.s.db.QueryRowContext(ctx, q.s.q(`SELECT id, kind, state, lease_owner, last_error, run_at_us, lease_until_us, attempts, max_attempts FROM jobs WHERE id = ?`), id).
		Scan(&j.ID, &j.Kind, &j.State, &j.LeaseOwner, &j.LastError, &runAt, &lease, &j.Attempts, &j.MaxAttempts)
	if errors.Is(err, sql.ErrNoRows) {
		return j, fmt.Errorf("store: job %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return j, fmt.Errorf("store: job %s: %w", id, err)
	}
	j.RunAt = time.UnixMicro(runAt).UTC()
	if lease != 0 {
		j.LeaseUntil = time.UnixMicro(lease).UTC()
	}
	return j, nil
}
