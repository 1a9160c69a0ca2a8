package api

import "time"

// DevicePairing is the body of POST /v1/devices/pair: a pairing link or
// code (as in Redeem) that a signed-out device redeems to be signed in as
// the person who showed it, and the name the device gives itself.
type DevicePairing struct {
	Link   string `json:"link,omitempty"`
	Code   string `json:"code,omitempty"`
	Device string `json:"device,omitempty"`
}

// DeviceGrant is a device's sign-in, issued by the service: an access
// token for the Authorization header until ExpiresAt, and a refresh token
// for POST /v1/devices/refresh (each refresh returns new ones; an old one
// used again ends the grant).
type DeviceGrant struct {
	ID               string    `json:"id"`
	AccessToken      string    `json:"access_token"`
	ExpiresAt        time.Time `json:"expires_at"`
	RefreshToken     string    `json:"refresh_token"`
	RefreshExpiresAt time.Time `json:"refresh_expires_at"`
	Person           Person    `json:"person"`
	// RequestID is the request the pairing was made from, to open on the
	// device; empty for a plain pairing.
	RequestID string `json:"request_id,omitempty"`
}

// Person is who a device grant signs in.
type Person struct {
	Identifier       string `json:"identifier"`
	GivenName        string `json:"given_name,omitempty"`
	FamilyName       string `json:"family_name,omitempty"`
	DateOfBirth      string `json:"date_of_birth,omitempty"`
	LevelOfAssurance string `json:"level_of_assurance,omitempty"`
}

// DeviceRefresh is the body of POST /v1/devices/refresh.
type DeviceRefresh struct {
	RefreshToken string `json:"refresh_token"`
}

// Device is one device signed in by pairing, as listed on Profile.
type Device struct {
	ID               string    `json:"id"`
	Device           string    `json:"device"`
	LevelOfAssurance string    `json:"level_of_assurance,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
	RefreshedAt      time.Time `json:"refreshed_at"`
	RefreshExpiresAt time.Time `json:"refresh_expires_at"`
	// Current is the device the list was asked from.
	Current bool `json:"current,omitempty"`
}

// DeviceList is the answer of GET /v1/devices.
type DeviceList struct {
	Devices []Device `json:"devices"`
	Count   int      `json:"count"`
}

// DevicesRevoked is the answer of POST /v1/devices/revoke: how many
// devices were signed out.
type DevicesRevoked struct {
	Revoked int `json:"revoked"`
}

// Error codes of device sign-in.
const (
	// CodeHandoffNeedsSignIn: the code starts or opens something for a
	// signed-in person; it does not sign a device in.
	CodeHandoffNeedsSignIn = "handoff_needs_sign_in"
	// CodeHandoffSignsIn: the code signs a signed-out device in; this
	// one is signed in already.
	CodeHandoffSignsIn = "handoff_signs_in"
	// CodeDeviceSignedOut: the device's grant was revoked, has expired,
	// or its refresh token was used before.
	CodeDeviceSignedOut = "device_signed_out"
)
