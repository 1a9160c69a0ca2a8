package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/vienreiz/vienreiz/api"
)

// Inbox returns the caller's inbox: the newest items (api.Inbox.Next
// when older ones follow) and the unread count.
func (c *Client) Inbox(ctx context.Context) (*api.Inbox, error) {
	return c.InboxBefore(ctx, "")
}

// InboxBefore returns the page of the caller's inbox that starts at next
// (api.Inbox.Next of the page before), with the unread count.
func (c *Client) InboxBefore(ctx context.Context, next string) (*api.Inbox, error) {
	var params url.Values
	if next != "" {
		params = url.Values{"before": {next}}
	}
	var out api.Inbox
	if err := c.get(ctx, "/v1/inbox", params, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// MarkRead marks one inbox item read, or all of them when id is "", and
// returns how many are still unread; another person's item is ErrNotFound.
func (c *Client) MarkRead(ctx context.Context, id string) (int, error) {
	path := "/v1/inbox/read"
	if id != "" {
		path = "/v1/inbox/" + url.PathEscape(id) + "/read"
	}
	var out api.InboxRead
	if err := c.send(ctx, http.MethodPost, path, nil, &out); err != nil {
		return 0, err
	}
	return out.Unread, nil
}
