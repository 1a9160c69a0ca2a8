package exchange

import (
	"context"
	"fmt"
	"net/http"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/store"
)

// EventArchived is the timeline step of a request its owner put away.
const EventArchived = "archived"

// Archive puts who's ended request away (failed, refused, expired,
// cancelled or delivered): it stays, with its timeline and evidence, but
// lists mark it archived so the app can keep it out of the way. An open
// request cannot be archived (cancel it first): lifecycle.ErrForbidden.
func (q *Requests) Archive(ctx context.Context, who Principal, id string) (*api.Request, error) {
	var doc *requestDoc
	err := retryOnConflict(func() error {
		rec, d, err := q.load(ctx, who, id)
		if err != nil {
			return err
		}
		doc = d
		if !lifecycle.State(doc.Facts.State).Terminal() {
			return fmt.Errorf("%w: the request is still open (%s); cancel it first", lifecycle.ErrForbidden, doc.Facts.State)
		}
		if doc.Facts.Archived {
			return nil
		}
		doc.Facts.Archived = true
		st := doc.step(EventArchived, "")
		st.At = q.now().UTC()
		return q.save(ctx, rec, doc, []store.TimelineEntry{st}, false, store.Effects{})
	})
	if err != nil {
		return nil, err
	}
	return q.view(ctx, doc)
}

func (a *restAPI) archiveRequest(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.Archive(r.Context(), who, r.PathValue("id"))
	a.answer(w, r, http.StatusOK, out, err)
}
