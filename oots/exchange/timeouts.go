package exchange

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
)

// timeoutJob is the payload of a time-out job.
type timeoutJob struct {
	Request  string    `json:"request"`
	Deadline time.Time `json:"deadline"`
}

// fireTimeout applies TimedOut to the request of the job; a time-out whose
// deadline has passed by (the request moved on) is ignored as stale by the
// lifecycle.
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
	q.carryOut(ctx, rec, doc, effects)
	return nil
}
