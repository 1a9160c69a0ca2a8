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

// AskEvidence asks the citizen of application id for evidence it lacks; it
// returns the new request, which waits for the citizen's explicit request.
func (c *Client) AskEvidence(ctx context.Context, id string, in api.EvidenceAsk) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/ask-evidence", in, &out)
}

// AttachResult attaches the result document of application id: data of
// contentType (PDF, PNG or JPEG), titled for the citizen.
func (c *Client) AttachResult(ctx context.Context, id, title, contentType string, data []byte) (*api.Request, error) {
	var out api.Request
	path := "/v1/requests/" + url.PathEscape(id) + "/result"
	req, err := c.request(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := req.SetQueryParam("title", title).SetHeader("Content-Type", contentType).SetBody(data).SetResult(&out).Post(path)
	return &out, answer(ctx, resp, err, http.MethodPost, path)
}

// Trail returns the ledger trail of request id (its owner's, or a clerk's
// of its institution).
func (c *Client) Trail(ctx context.Context, id string) (*api.LedgerTrail, error) {
	var out api.LedgerTrail
	return &out, c.get(ctx, "/v1/requests/"+url.PathEscape(id)+"/ledger", nil, &out)
}
