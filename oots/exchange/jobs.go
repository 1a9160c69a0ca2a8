package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/store"
)

// Job kinds of the exchange service's durable queue.
const (
	// jobTimeout fires the time-out of a request's open step.
	jobTimeout = "timeout"
	// jobSend sends a request's QueryRequest.
	jobSend = "send"
	// jobLedgerPurge removes ledger entries past their retention, daily.
	jobLedgerPurge = "ledger_purge"
)

// jobLease is how long a claimed job stays with its worker without a
// heartbeat: the worker renews it while the job runs (store.KeepLease), so
// a job held by a process that died is taken over within jobLease.
const jobLease = 10 * time.Second

// sendJob is the payload of a send job: the request and which of its
// sends (lifecycle.Request.Sends) the job makes, so a job left over from
// an earlier send never sends again.
type sendJob struct {
	Request         string `json:"request"`
	Sends           int    `json:"sends"`
	PreviewLocation string `json:"preview_location,omitempty"`
}

func sendJobID(request string, sends int) string {
	return fmt.Sprintf("%s/%s/%d", jobSend, request, sends)
}

// jobsFor turns the effects that must survive a crash into jobs, stored
// in the same transaction as the state that asks for them: time-outs,
// and the QueryRequest to send.
func jobsFor(doc *requestDoc, effects []lifecycle.Effect) []store.NewJob {
	var jobs []store.NewJob
	id := doc.Facts.ID
	for _, eff := range effects {
		switch eff.Kind {
		case lifecycle.ScheduleTimeout:
			payload, _ := json.Marshal(timeoutJob{Request: id, Deadline: eff.At})
			jobs = append(jobs, store.NewJob{
				ID:   jobTimeout + "/" + id + "/" + eff.At.UTC().Format(time.RFC3339Nano),
				Kind: jobTimeout, Payload: string(payload), RunAt: eff.At,
			})
		case lifecycle.SendQueryRequest:
			sends := doc.Lifecycle.Sends
			payload, _ := json.Marshal(sendJob{Request: id, Sends: sends, PreviewLocation: eff.PreviewLocation})
			jobs = append(jobs, store.NewJob{ID: sendJobID(id, sends), Kind: jobSend, Payload: string(payload), RunAt: doc.Lifecycle.UpdatedAt})
		}
	}
	return jobs
}

// RunJobs runs due jobs until ctx ends: first it takes up the jobs this
// worker held when it last stopped (owner is a stable name), then every
// interval it claims the due jobs (each by one worker, also across
// processes sharing the database) and runs them.
func (q *Requests) RunJobs(ctx context.Context, interval time.Duration) {
	if n, err := q.store.Jobs().ReleaseOwner(ctx, q.worker, q.now().UTC()); err != nil {
		q.log.Warn("taking up this worker's earlier jobs", "err", err)
	} else if n > 0 {
		q.log.Info("taking up the jobs this worker held when it stopped", "jobs", n)
	}
	if err := q.scheduleLedgerPurge(ctx, q.now().UTC()); err != nil {
		q.log.Warn("scheduling the ledger purge", "err", err)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := q.RunDueJobs(ctx); err != nil && ctx.Err() == nil {
			q.log.Warn("running due jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// jobRunners is how many due jobs a worker runs at once: one slow job
// (a send to an access point that is slow to answer) does not hold up
// the others, and a process restarted while sends were under way gets
// through them in one go instead of one after the other.
const jobRunners = 4

// RunDueJobs runs the jobs due now until none is left (after downtime
// there may be a backlog), jobRunners at a time. Each runner claims one
// job at a time, so a job's lease starts when it starts; a job found dead
// (its lease ran out on its last attempt) is settled instead of run. An
// idle queue costs one claim: the other runners start only once the
// first claim found work.
func (q *Requests) RunDueJobs(ctx context.Context) error {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		more sync.Once
	)
	keep := func(err error) {
		if err != nil {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
	}
	var runner func()
	runner = func() {
		for ctx.Err() == nil {
			claimed, dead, err := q.claim(ctx, q.worker, q.now().UTC(), jobLease, 1)
			if err != nil {
				keep(err)
				return
			}
			if len(claimed)+len(dead) == 0 {
				return
			}
			more.Do(func() {
				for range jobRunners - 1 {
					wg.Go(runner)
				}
			})
			for _, j := range dead {
				keep(q.jobDied(ctx, j, "its worker stopped during its last attempt"))
			}
			for _, j := range claimed {
				keep(q.finishJob(ctx, j, q.holding(ctx, j, func(ctx context.Context) error { return q.runJob(ctx, j) })))
			}
		}
	}
	wg.Go(runner)
	wg.Wait()
	return errors.Join(errs...)
}

// runNow runs the job id this process just stored, unless another worker
// took it first; run does the work. A failure is left to the queue's
// retries, so the caller's change stands.
func (q *Requests) runNow(ctx context.Context, id string, run func(context.Context) error) error {
	j, ok, err := q.store.Jobs().ClaimQueued(ctx, id, q.worker, q.now().UTC(), jobLease)
	if err != nil || !ok {
		return err
	}
	return q.finishJob(ctx, j, q.holding(ctx, j, run))
}

// holding runs the claimed job j while a heartbeat keeps its lease. When
// another worker took the job meanwhile, run's context is cancelled. A
// panic in run is the job's failure, not the process's end: a job that
// panics each time uses up its attempts instead of bringing every worker
// down in turn.
func (q *Requests) holding(ctx context.Context, j store.Job, run func(context.Context) error) (err error) {
	ctx, cancel := context.WithCancel(ctx)
	beat := make(chan struct{})
	go func() {
		defer close(beat)
		if err := q.store.Jobs().KeepLease(ctx, j.ID, q.worker, jobLease, func() time.Time { return q.now().UTC() }); err != nil {
			q.log.Warn("job taken over by another worker; stopping it here", "job", j.ID, "err", err)
			cancel()
		}
	}()
	defer func() {
		cancel()
		<-beat
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", j.ID, p)
		}
	}()
	return run(ctx)
}

// finishJob completes j, or records its failure for a later retry.
func (q *Requests) finishJob(ctx context.Context, j store.Job, runErr error) error {
	jobs := q.store.Jobs()
	if runErr == nil {
		return jobs.Complete(ctx, j.ID, q.worker)
	}
	q.log.Warn("job failed; it is retried later", "job", j.ID, "attempt", j.Attempt, "err", runErr)
	dead, err := jobs.Fail(context.WithoutCancel(ctx), j.ID, q.worker, q.now().UTC(), runErr.Error())
	if err != nil || !dead {
		return err
	}
	return q.jobDied(ctx, j, runErr.Error())
}

// jobDied settles what waited for the dead job j, so that no request
// waits for ever for a job that will not run again: a request whose
// QueryRequest could not be sent fails, with the reason on its timeline
// for the citizen (who may start a new request).
func (q *Requests) jobDied(ctx context.Context, j store.Job, why string) error {
	q.log.Error("job is dead: it will not be run again", "job", j.ID, "kind", j.Kind, "attempts", j.Attempt, "why", why)
	if j.Kind != jobSend {
		return nil // a time-out or purge that never ran leaves no one waiting
	}
	var sj sendJob
	if err := json.Unmarshal([]byte(j.Payload), &sj); err != nil {
		return fmt.Errorf("dead send job %s: payload: %w", j.ID, err)
	}
	ctx = context.WithoutCancel(ctx)
	rec, doc, err := q.loadAny(ctx, sj.Request)
	if err != nil {
		return fmt.Errorf("dead send job %s: %w", j.ID, err)
	}
	effects, err := q.advance(ctx, rec, doc, func(d *requestDoc) (lifecycle.Event, string, bool) {
		lc := d.Lifecycle
		waiting := lc.Sends == sj.Sends && (lc.State == lifecycle.Ready || lc.State == lifecycle.Approved)
		return lifecycle.Event{Kind: lifecycle.ProviderError, Code: CodeNotSent}, "the evidence request could not be sent: " + why, waiting
	})
	if err != nil {
		return fmt.Errorf("dead send job %s: failing its request: %w", j.ID, err)
	}
	q.carryOut(ctx, rec, doc, effects)
	return nil
}

// CodeNotSent is the error code of a request whose QueryRequest could not
// be handed to the access point after every attempt (ebMS "Other").
const CodeNotSent = "EBMS:0004"

// runJob runs one claimed job by its kind.
func (q *Requests) runJob(ctx context.Context, j store.Job) error {
	switch j.Kind {
	case jobTimeout:
		return q.fireTimeout(ctx, j.Payload)
	case jobLedgerPurge:
		n, err := q.ledger.Purge(ctx, q.now())
		if err != nil {
			return err
		}
		if n > 0 {
			q.log.Info("ledger entries past their retention purged", "entries", n)
		}
		return q.scheduleLedgerPurge(ctx, q.now().UTC().AddDate(0, 0, 1).Truncate(24*time.Hour).Add(3*time.Hour))
	case jobSend:
		var sj sendJob
		if err := json.Unmarshal([]byte(j.Payload), &sj); err != nil {
			return fmt.Errorf("send job payload: %w", err)
		}
		rec, doc, err := q.loadAny(ctx, sj.Request)
		if err != nil {
			return err
		}
		return q.sendIfDue(ctx, rec, doc, sj)
	default:
		return fmt.Errorf("unknown job kind %q", j.Kind)
	}
}

// scheduleLedgerPurge queues the ledger purge of at's day to run at at;
// the day in the job's id makes it one job a day however many processes
// ask (ledger.RetentionMonths, principle: kept 12 months then purged).
func (q *Requests) scheduleLedgerPurge(ctx context.Context, at time.Time) error {
	_, err := q.store.Jobs().Enqueue(ctx, store.NewJob{
		ID: jobLedgerPurge + "/" + at.UTC().Format(time.DateOnly), Kind: jobLedgerPurge, RunAt: at,
	})
	return err
}

// sendIfDue sends the QueryRequest of sj if the request still waits for
// exactly that send, and carries out what follows.
func (q *Requests) sendIfDue(ctx context.Context, rec *store.RequestRecord, doc *requestDoc, sj sendJob) error {
	lc := doc.Lifecycle
	if lc.Sends != sj.Sends || (lc.State != lifecycle.Ready && lc.State != lifecycle.Approved) {
		return nil // sent already, or the request ended meanwhile
	}
	effects, err := q.send(ctx, rec, doc, sj.PreviewLocation)
	if err != nil {
		return err
	}
	q.carryOut(ctx, rec, doc, effects)
	return nil
}
