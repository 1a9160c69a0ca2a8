package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/vienreiz/vienreiz/api"
)

// GiveMandate registers a mandate: the caller lets a representative act
// for them (an administrator may register one for a company).
func (c *Client) GiveMandate(ctx context.Context, in api.NewMandate) (*api.Mandate, error) {
	var out api.Mandate
	return &out, c.send(ctx, http.MethodPost, "/v1/mandates", in, &out)
}

// Mandates lists the mandates the caller holds (may act under) and those
// given for them.
func (c *Client) Mandates(ctx context.Context) (*api.MandateList, error) {
	var out api.MandateList
	return &out, c.get(ctx, "/v1/mandates", nil, &out)
}

// RevokeMandate ends a mandate: the represented person, whoever registered
// it, or an administrator may.
func (c *Client) RevokeMandate(ctx context.Context, id string) (*api.Mandate, error) {
	var out api.Mandate
	return &out, c.send(ctx, http.MethodPost, "/v1/mandates/"+url.PathEscape(id)+"/revoke", nil, &out)
}
