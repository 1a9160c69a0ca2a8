package exchange

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/store"
)

// EventFeedbackGiven is the timeline step of the owner's feedback.
const EventFeedbackGiven = "feedback_given"

// GiveFeedback keeps who's rating and words on their finished request id
// (P14), once: an open request or a second feedback is
// lifecycle.ErrForbidden (409), a rating outside 1–5 or too long a text
// ErrInvalid. The feedback is stored with the request's change, for the
// clerks of the institution that runs the service.
func (q *Requests) GiveFeedback(ctx context.Context, who Principal, id string, in api.NewFeedback) (*api.Request, error) {
	text := strings.TrimSpace(in.Text)
	if in.Rating < api.MinRating || in.Rating > api.MaxRating {
		return nil, fmt.Errorf("%w: rating %d is not %d–%d", ErrInvalid, in.Rating, api.MinRating, api.MaxRating)
	}
	if utf8.RuneCountInString(text) > api.MaxFeedbackText {
		return nil, fmt.Errorf("%w: the text is longer than %d characters", ErrInvalid, api.MaxFeedbackText)
	}
	return q.endedStep(ctx, who, id, EventFeedbackGiven, "feedback is given on a finished application",
		func(rec *store.RequestRecord, doc *requestDoc, at time.Time) (store.Effects, bool, error) {
			if doc.Facts.FeedbackRating != 0 {
				return store.Effects{}, false, fmt.Errorf("%w: feedback was given already", lifecycle.ErrForbidden)
			}
			doc.Facts.FeedbackRating = in.Rating
			fb := &store.Feedback{RequestID: rec.ID, ServiceID: rec.ServiceID, Author: who.Subject, Rating: in.Rating, Text: text, At: at}
			if inst := q.institution(ctx, rec.ServiceID); inst != nil {
				fb.Institution = inst.ID
			}
			return store.Effects{Feedback: fb}, true, nil
		})
}

// Feedback lists the feedback a clerk's institution received (all of it
// for a clerk of no particular institution and for an administrator),
// newest first; citizens get ErrForbidden.
func (q *Requests) Feedback(ctx context.Context, who Principal) (*api.FeedbackList, error) {
	var institution string
	switch {
	case who.Role == RoleAdministrator:
	case who.IsClerk():
		institution = who.Institution
	default:
		return nil, fmt.Errorf("%w: feedback is read by the institution's clerks and administrators", ErrForbidden)
	}
	rows, err := q.store.FeedbackOf(ctx, institution)
	if err != nil {
		return nil, err
	}
	out := &api.FeedbackList{Items: make([]api.Feedback, 0, len(rows))}
	sum := 0
	for _, f := range rows {
		out.Items = append(out.Items, api.Feedback{RequestID: f.RequestID, ServiceID: f.ServiceID, Institution: f.Institution, Rating: f.Rating, Text: f.Text, At: f.At})
		sum += f.Rating
	}
	if len(rows) > 0 {
		out.Average = float64(sum) / float64(len(rows))
	}
	return out, nil
}

func (a *restAPI) giveFeedback(w http.ResponseWriter, r *http.Request, who Principal) {
	var in api.NewFeedback
	if !readJSON(w, r, &in) {
		return
	}
	out, err := a.reqs.GiveFeedback(r.Context(), who, r.PathValue("id"), in)
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) listFeedback(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.Feedback(r.Context(), who)
	a.answer(w, r, http.StatusOK, out, err)
}
