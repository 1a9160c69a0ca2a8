package exchange

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/store"
)

// jobTimeout is the job kind of a request's time-out.
const jobTimeout = "timeout"

// timeoutJob is the payload of a time-out job.
type timeoutJob struct {
	Request  string    `json:"request"`
	Deadline time.Time `json:"deadline"`
}

// scheduleTimeout enqueues the time-out of the request's open step in the
// durable job queue; the id makes scheduling the same deadline twice a
// no-op, and a time-out whose deadline has passed by is ignored as stale
// by the lifecycle.
func (q *Requests) scheduleTimeout(ctx context.Context, id string, at time.Time) error {
	payload, _ := json.Marshal(timeoutJob{Request: id, Deadline: at})
	_, err := q.store.Jobs().Enqueue(ctx, store.NewJob{
		ID: jobTimeout + "/" + id + "/" + at.UTC().Format(time.RFC3339Nano), Kind: jobTimeout, Payload: string(payload), RunAt: at,
	})
	if err != nil {
		return fmt.Errorf("scheduling the time-out of %s: %w", id, err)
	}
	return nil
}

// RunTimeouts fires due time-outs until ctx ends: every interval it claims
// the due jobs (each one by one worker, also across processes sharing the
// database) and applies TimedOut to their requests. owner names this
// worker in the queue.
func (q *Requests) RunTimeouts(ctx context.Context, owner string, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := q.FireDueTimeouts(ctx, owner); err != nil && ctx.Err() == nil {
			q.log.Warn("firing time-outs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// FireDueTimeouts claims the time-outs due now and applies them.
func (q *Requests) FireDueTimeouts(ctx context.Context, owner string) error {
	jobs := q.store.Jobs()
	claimed, err := jobs.Claim(ctx, owner, q.now().UTC(), time.Minute, 20)
	if err != nil {
		return err
	}
	for _, j := range claimed {
		if err := q.fireTimeout(ctx, j.Payload); err != nil {
			q.log.Warn("time-out failed", "job", j.ID, "err", err)
			if _, ferr := jobs.Fail(ctx, j.ID, owner, q.now().UTC(), err.Error()); ferr != nil {
				return ferr
			}
			continue
		}
		if err := jobs.Complete(ctx, j.ID, owner); err != nil {
			return err
		}
	}
	return nil
}

func (q *Requests) fireTimeout(ctx context.Context, payload string) error {
	var tj timeoutJob
	if err := json.Unmarshal([]byte(payload), &tj); err != nil {
		return fmt.Errorf("time-out payload: %w", err)
	}
	rec, doc, err := q.loadAny(ctx, tj.Request)
	if err != nil {
		return err
	}
	effects, err := q.advance(ctx, rec, doc, func(*requestDoc) (lifecycle.Event, string, bool) {
		return lifecycle.Event{Kind: lifecycle.TimedOut, Deadline: tj.Deadline}, "", true
	})
	if err != nil {
		return err
	}
	return q.carryOut(ctx, doc.Subject, rec, doc, effects)
}
