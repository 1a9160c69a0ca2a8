package client

import (
	"context"
	"net/http"

	"github.com/vienreiz/vienreiz/api"
)

// Roles lists the clerk and administrator roles assigned; administrators
// only.
func (c *Client) Roles(ctx context.Context) ([]api.RoleAssignment, error) {
	var out api.RoleList
	if err := c.get(ctx, "/v1/admin/roles", nil, &out); err != nil {
		return nil, err
	}
	return out.Roles, nil
}

// AssignRole makes a person a clerk of an institution or an administrator;
// administrators only.
func (c *Client) AssignRole(ctx context.Context, in api.RoleAssignment) (*api.RoleAssignment, error) {
	var out api.RoleAssignment
	return &out, c.send(ctx, http.MethodPost, "/v1/admin/roles", in, &out)
}

// RemoveRole takes a person's assigned role away; administrators only.
func (c *Client) RemoveRole(ctx context.Context, subject string) error {
	var out api.RoleRemoval
	return c.send(ctx, http.MethodPost, "/v1/admin/roles/remove", api.RoleRemoval{Subject: subject}, &out)
}

// Me returns who the caller is to the service, with the role it gives
// them.
func (c *Client) Me(ctx context.Context) (*api.Me, error) {
	var out api.Me
	if err := c.get(ctx, "/v1/me", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
