package exchange

import (
	"context"
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/store"
)

// endedStep adds the owner's step event to who's ended request id: a
// step that keeps one more fact of the request and changes nothing of its
// lifecycle (archiving it, giving feedback). An open request is refused
// with lifecycle.ErrForbidden and unlessOpen, what to do instead.
//
// set keeps the fact on the request, as of at, and returns the effects
// stored with the step; it returns an error to refuse the step, or false
// when the request has the fact already and stays as it is. Like change,
// it runs again on a request read afresh when someone changed it meanwhile.
func (q *Requests) endedStep(ctx context.Context, who Principal, id, event, unlessOpen string,
	set func(rec *store.RequestRecord, doc *requestDoc, at time.Time) (store.Effects, bool, error)) (*api.Request, error) {
	var doc *requestDoc
	err := retryOnConflict(func() error {
		rec, d, err := q.load(ctx, who, id)
		if err != nil {
			return err
		}
		doc = d
		if !doc.Lifecycle.State.Terminal() {
			return fmt.Errorf("%w: the request is still open (%s); %s", lifecycle.ErrForbidden, doc.Lifecycle.State, unlessOpen)
		}
		at := q.now().UTC()
		fx, changed, err := set(rec, doc, at)
		if err != nil || !changed {
			return err
		}
		return q.save(ctx, rec, doc, []store.TimelineEntry{doc.note(event, "", at)}, false, fx)
	})
	if err != nil {
		return nil, err
	}
	return q.view(ctx, doc)
}
