package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/vienreiz/vienreiz/api"
)

// PostStatusChange posts a clerk's status message or decision (with its
// reasons) on the application request id serves.
func (c *Client) PostStatusChange(ctx context.Context, id string, in api.StatusChange) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/status", in, &out)
}
