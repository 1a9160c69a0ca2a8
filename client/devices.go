package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/go-resty/resty/v2"

	"github.com/vienreiz/vienreiz/api"
)

// CreatePairing makes a pairing code that signs a signed-out device in as
// the caller (at the caller's level of assurance); its Link goes in a QR
// code.
func (c *Client) CreatePairing(ctx context.Context) (*api.Handoff, error) {
	var out api.Handoff
	return &out, c.send(ctx, http.MethodPost, "/v1/devices/pairings", nil, &out)
}

// anonymous is c calling without a token.
func (c *Client) anonymous() *Client { return &Client{r: c.r, baseURL: c.baseURL} }

// PairDevice redeems a pairing link or code on a signed-out device and
// returns the device's grant. A refusal is an *APIError with one of the
// api.CodeHandoff… codes (api.CodeHandoffNeedsSignIn: the code is not a
// pairing, sign in first).
func (c *Client) PairDevice(ctx context.Context, in api.DevicePairing) (*api.DeviceGrant, error) {
	var out api.DeviceGrant
	return &out, c.anonymous().send(ctx, http.MethodPost, "/v1/devices/pair", in, &out)
}

// RefreshDevice trades a device's refresh token for new tokens; an
// *APIError with api.CodeDeviceSignedOut when the grant has ended.
func (c *Client) RefreshDevice(ctx context.Context, refreshToken string) (*api.DeviceGrant, error) {
	var out api.DeviceGrant
	return &out, c.anonymous().send(ctx, http.MethodPost, "/v1/devices/refresh", api.DeviceRefresh{RefreshToken: refreshToken}, &out)
}

// Devices lists the caller's devices signed in by pairing.
func (c *Client) Devices(ctx context.Context) ([]api.Device, error) {
	var out api.DeviceList
	if err := c.get(ctx, "/v1/devices", nil, &out); err != nil {
		return nil, err
	}
	return out.Devices, nil
}

// RevokeDevice signs one of the caller's paired devices out.
func (c *Client) RevokeDevice(ctx context.Context, id string) error {
	return c.send(ctx, http.MethodPost, "/v1/devices/"+url.PathEscape(id)+"/revoke", nil, &api.DevicesRevoked{})
}

// RevokeDevices signs every paired device of the caller out and returns
// how many there were.
func (c *Client) RevokeDevices(ctx context.Context) (int, error) {
	var out api.DevicesRevoked
	err := c.send(ctx, http.MethodPost, "/v1/devices/revoke", nil, &out)
	return out.Revoked, err
}

// OnRefused registers f to run after the service refused a call's bearer
// token (401): the session may have ended elsewhere, for instance a
// paired device signed out on another device. f runs on the caller's
// goroutine once the answer is in; register it on the client that calls.
func (c *Client) OnRefused(f func()) {
	c.r.OnAfterResponse(func(_ *resty.Client, resp *resty.Response) error {
		if resp.StatusCode() == http.StatusUnauthorized && resp.Request.Header.Get("Authorization") != "" {
			f()
		}
		return nil
	})
}
