package exchange

import (
	"context"
	"net/http"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/store"
)

// EventArchived is the timeline step of a request its owner put away.
const EventArchived = "archived"

// Archive puts who's ended request away (failed, refused, expired,
// cancelled or delivered): it stays, with its timeline and evidence, but
// lists mark it archived so the app can keep it out of the way. An open
// request cannot be archived (cancel it first): lifecycle.ErrForbidden.
func (q *Requests) Archive(ctx context.Context, who Principal, id string) (*api.Request, error) {
	return q.endedStep(ctx, who, id, EventArchived, "cancel it first",
		func(_ *store.RequestRecord, doc *requestDoc, _ time.Time) (store.Effects, bool, error) {
			if doc.Facts.Archived {
				return store.Effects{}, false, nil
			}
			doc.Facts.Archived = true
			return store.Effects{}, true, nil
		})
}

func (a *restAPI) archiveRequest(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.Archive(r.Context(), who, r.PathValue("id"))
	a.answer(w, r, http.StatusOK, out, err)
}
