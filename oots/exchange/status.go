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
	event := "status_posted" // a message; a decision has its own event
	switch in.Decision {
	case "":
	case api.DecisionApproved, api.DecisionRefused:
		event = "application_" + in.Decision
	default:
		return nil, fmt.Errorf("%w: the decision must be %q or %q", ErrInvalid, api.DecisionApproved, api.DecisionRefused)
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
			Actor: who.Subject, OnBehalfOf: rec.Owner, Action: event,
			What: msg, LegalBasis: doc.View.LegalBasis, RequestID: id,
		}
		st := doc.step(event, msg)
		st.At = q.now().UTC() // the lifecycle did not move: the step is now, not at its last change
		return q.save(ctx, rec, doc, []store.TimelineEntry{st}, false, store.Effects{Ledger: []ledger.Record{posted}})
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
