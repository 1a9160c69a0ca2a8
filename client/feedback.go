package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/vienreiz/vienreiz/api"
)

// GiveFeedback rates the owner's finished application id (1–5) with
// optional words (POST /v1/requests/{id}/feedback).
func (c *Client) GiveFeedback(ctx context.Context, id string, in api.NewFeedback) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/feedback", in, &out)
}

// Feedback lists the feedback a clerk's institution received, or
// everyone's for an administrator (GET /v1/feedback).
func (c *Client) Feedback(ctx context.Context) (*api.FeedbackList, error) {
	var out api.FeedbackList
	if err := c.get(ctx, "/v1/feedback", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
