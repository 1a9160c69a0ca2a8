package app

import (
	"context"

	"github.com/vienreiz/vienreiz/api"
)

// FeedbackAPI is what the app needs of the exchange service for the
// feedback on finished applications (P14).
type FeedbackAPI interface {
	GiveFeedback(ctx context.Context, id string, in api.NewFeedback) (*api.Request, error)
	Feedback(ctx context.Context) (*api.FeedbackList, error)
}

// Ratings lists the ratings a person can give, best first.
var Ratings = []int{api.MaxRating, 4, 3, 2, api.MinRating}

// GiveFeedback sends the owner's rating and words on a finished
// application; the request comes back with its rating.
func (r *Requests) GiveFeedback(ctx context.Context, id string, rating int, text string) (*api.Request, error) {
	out, err := r.feedback.GiveFeedback(ctx, id, api.NewFeedback{Rating: rating, Text: text})
	return r.after(ctx, out, err)
}

// Feedback is the feedback the signed-in clerk's institution received
// (everyone's for an administrator).
type Feedback struct{ api FeedbackAPI }

// Load reads the feedback, newest first, with the average rating.
func (f *Feedback) Load(ctx context.Context) (*api.FeedbackList, error) { return f.api.Feedback(ctx) }
