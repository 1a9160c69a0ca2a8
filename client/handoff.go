package client

import (
	"context"
	"net/http"

	"github.com/vienreiz/vienreiz/api"
)

// CreateHandoff makes a one-time link and short code that start the given
// request in the app on another device, for the caller only.
func (c *Client) CreateHandoff(ctx context.Context, in api.NewHandoff) (*api.Handoff, error) {
	var out api.Handoff
	return &out, c.send(ctx, http.MethodPost, "/v1/handoffs", in, &out)
}

// Redeem starts the request a handoff link (as read from a QR code) or
// short code stands for. A refusal is an *APIError whose Code is one of
// api.CodeHandoff… and whose Message says what to do.
func (c *Client) Redeem(ctx context.Context, in api.Redeem) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/handoffs/redeem", in, &out)
}
