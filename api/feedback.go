package api

import "time"

// Ratings of feedback: 1 (very poor) to 5 (very good).
const (
	MinRating = 1
	MaxRating = 5
	// MaxFeedbackText bounds the words of one feedback, in characters.
	MaxFeedbackText = 2000
)

// NewFeedback is the body of POST /v1/requests/{id}/feedback: the owner's
// rating of a finished application and, optionally, what they want to
// say about it (P14).
type NewFeedback struct {
	Rating int    `json:"rating"`
	Text   string `json:"text,omitempty"`
}

// Feedback is one feedback as the institution's clerks and the
// administrators read it (GET /v1/feedback): the service and request it
// is about, not who gave it.
type Feedback struct {
	RequestID   string    `json:"request_id"`
	ServiceID   string    `json:"service_id"`
	Institution string    `json:"institution"`
	Rating      int       `json:"rating"`
	Text        string    `json:"text,omitempty"`
	At          time.Time `json:"at"`
}

// FeedbackList is the answer of GET /v1/feedback, newest first.
type FeedbackList struct {
	Items []Feedback `json:"items"`
	// Average is the mean rating of the items (0 when there are none).
	Average float64 `json:"average"`
}
