package exchange

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/oots/store"
)

// PostStatus records a status change of the application a request serves
// (principle P8, the status register): a clerk's message on the request's
// timeline, in the ledger, and on the owner's event stream.
func (q *Requests) PostStatus(ctx context.Context, who Principal, id string, in api.StatusChange) (*api.Request, error) {
	if !who.IsClerk() {
		return nil, fmt.Errorf("%w: only a clerk posts status changes", ErrForbidden)
	}
	msg := strings.TrimSpace(in.Message)
	if msg == "" {
		return nil, fmt.Errorf("%w: the message is empty", ErrInvalid)
	}
	// The ledger's rule: the message is stored there as it is.
	if err := ledger.CheckField("the message", msg, true); err != nil {
		return nil, fmt.Errorf("%w: %s (line breaks are allowed, at most %d bytes)", ErrInvalid, strings.TrimPrefix(err.Error(), "ledger: "), ledger.MaxField)
	}
	var (
		rec *store.RequestRecord
		doc *requestDoc
	)
	err := retryOnConflict(func() (err error) {
		if rec, doc, err = q.loadAs(ctx, who, id, true); err != nil {
			return err
		}
		posted := ledger.Record{
			Actor: who.Subject, OnBehalfOf: rec.Owner, Action: "status_posted",
			What: msg, LegalBasis: doc.View.LegalBasis, RequestID: id,
		}
		return q.save(ctx, rec, doc, []store.TimelineEntry{doc.step("status_posted", msg)}, false, store.Effects{Ledger: []ledger.Record{posted}})
	})
	if err != nil {
		return nil, err
	}
	return q.view(ctx, doc)
}

func (a *restAPI) postStatus(w http.ResponseWriter, r *http.Request, who Principal) {
	var in api.StatusChange
	if !readJSON(w, r, &in) {
		return
	}
	out, err := a.reqs.PostStatus(r.Context(), who, r.PathValue("id"), in)
	a.answer(w, r, http.StatusOK, out, err)
}
