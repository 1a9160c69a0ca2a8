package exchange

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/oots/store"
)

// PostStatus records a status change of the application a request serves
// (principle P8, the status register): a clerk's message on the request's
// timeline at the time it is posted, in the ledger, and on the owner's
// event stream with the clerk's institution.
func (q *Requests) PostStatus(ctx context.Context, who Principal, id string, in api.StatusChange) (*api.Request, error) {
	if !who.IsClerk() {
		return nil, fmt.Errorf("%w: only a clerk posts status changes", ErrForbidden)
	}
	msg, err := clerkMessage(in.Message)
	if err != nil {
		return nil, err
	}
	event := api.EventStatusPosted // a message; a decision has its own event
	switch in.Decision {
	case "":
	case api.DecisionApproved:
		event = api.EventApplicationApproved
	case api.DecisionRefused:
		event = api.EventApplicationRefused
	default:
		return nil, fmt.Errorf("%w: the decision must be %q or %q", ErrInvalid, api.DecisionApproved, api.DecisionRefused)
	}
	return q.clerkStep(ctx, who, id, func(rec *store.RequestRecord, doc *requestDoc) (store.TimelineEntry, store.Effects, error) {
		if in.Decision != "" {
			if doc.Facts.Decision != in.Replaces {
				return store.TimelineEntry{}, store.Effects{}, fmt.Errorf("%w: it is %s now", ErrDecidedMeanwhile, doc.Facts.Decision)
			}
			doc.Facts.Decision = in.Decision
		}
		posted := ledger.Record{
			Actor: who.Subject, OnBehalfOf: rec.Owner, Action: event,
			What: msg, LegalBasis: doc.Facts.LegalBasis, RequestID: id,
		}
		return doc.note(event, msg, q.now().UTC()), store.Effects{Ledger: []ledger.Record{posted}}, nil
	})
}

// ErrDecidedMeanwhile: the application was decided after the clerk read
// it (api.StatusChange.Replaces is not the decision that stands); the
// clerk decides again having seen it.
var ErrDecidedMeanwhile = errors.New("the application was decided meanwhile")

// clerkMessage checks a clerk's message to the citizen: not empty, and
// storable in the ledger as it is (line breaks allowed).
func clerkMessage(s string) (string, error) {
	msg := strings.TrimSpace(s)
	if msg == "" {
		return "", fmt.Errorf("%w: the message is empty", ErrInvalid)
	}
	if err := ledger.CheckField("the message", msg, true); err != nil {
		return "", fmt.Errorf("%w: %s (line breaks are allowed, at most %d bytes)", ErrInvalid, strings.TrimPrefix(err.Error(), "ledger: "), ledger.MaxField)
	}
	return msg, nil
}

// clerkStep adds the step next returns to application id of a clerk of
// its institution, with its effects, reading the application again when
// someone changed it meanwhile.
func (q *Requests) clerkStep(ctx context.Context, who Principal, id string,
	next func(*store.RequestRecord, *requestDoc) (store.TimelineEntry, store.Effects, error)) (*api.Request, error) {
	var doc *requestDoc
	err := retryOnConflict(func() error {
		rec, d, err := q.loadClerk(ctx, who, id)
		if err != nil {
			return err
		}
		step, fx, err := next(rec, d)
		if err != nil {
			return err
		}
		doc = d
		return q.save(ctx, rec, d, []store.TimelineEntry{step}, false, fx)
	})
	if err != nil {
		return nil, err
	}
	return q.seen(ctx, who, doc)
}

// seen is the clerk's view of a request, which the clerk has now seen up
// to its last step (an application moved on since is unread at the desk).
func (q *Requests) seen(ctx context.Context, who Principal, doc *requestDoc) (*api.Request, error) {
	v, err := q.view(ctx, doc)
	if err != nil {
		return nil, err
	}
	if err := q.store.MarkSeen(ctx, who.Subject, v.ID, len(v.Timeline)); err != nil {
		return nil, err
	}
	return v, nil
}

// loadClerk reads application id for a clerk of the institution that runs
// its service; any other caller gets ErrNotYours.
func (q *Requests) loadClerk(ctx context.Context, who Principal, id string) (*store.RequestRecord, *requestDoc, error) {
	rec, doc, err := q.loadAs(ctx, who, id, true)
	if err == nil && !q.clerkOf(ctx, who, rec.ServiceID) {
		err = fmt.Errorf("%w: %s", ErrNotYours, id)
	}
	return rec, doc, err
}

func (a *restAPI) postStatus(w http.ResponseWriter, r *http.Request, who Principal) {
	var in api.StatusChange
	if !readJSON(w, r, &in) {
		return
	}
	out, err := a.reqs.PostStatus(r.Context(), who, r.PathValue("id"), in)
	a.answer(w, r, http.StatusOK, out, err)
}
