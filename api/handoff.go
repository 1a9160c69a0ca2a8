package api

import "time"

// NewHandoff is the body of POST /v1/handoffs: what the app should start
// when the handoff is redeemed on another device, or (RequestID) the
// request it should carry on with there.
type NewHandoff struct {
	ServiceID   string `json:"service_id,omitempty"`
	Requirement string `json:"requirement,omitempty"`
	Country     string `json:"country,omitempty"`
	// RequestID pairs another device with a request: the owner's phone,
	// or (from a clerk's desk) the citizen's, opens that same request.
	// The handoff is bound to the request's owner; the other fields stay
	// empty.
	RequestID string `json:"request_id,omitempty"`
}

// Handoff is a one-time link into the app (issue 14): a QR code holds
// Link, a person can type Code instead. Both work once, until ExpiresAt.
type Handoff struct {
	// Link is https://HOST/open/handoff/TOKEN; AppLink the same as
	// vienreiz://handoff/TOKEN.
	Link      string    `json:"link"`
	AppLink   string    `json:"app_link"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Redeem is the body of POST /v1/handoffs/redeem: a handoff link (either
// form, as read from a QR code) or its short code. The answer is the
// request started (201), or the one opened (200): a pairing's, or the
// caller's request for the same evidence from the same country that is
// under way.
type Redeem struct {
	Link string `json:"link,omitempty"`
	Code string `json:"code,omitempty"`
	// MandateID, when set, starts the request under that mandate (the
	// app's "Acting as"), as NewRequest's does; a pairing ignores it.
	MandateID string `json:"mandate_id,omitempty"`
}

// Error codes of a refused handoff; the message says what to do.
const (
	CodeHandoffInvalid     = "handoff_invalid"
	CodeHandoffExpired     = "handoff_expired"
	CodeHandoffUsed        = "handoff_used"
	CodeHandoffOtherPerson = "handoff_other_person"
	// CodeHandoffKeyChanged: the link was signed with the service's
	// earlier key (it was rotated since); the short code still works.
	CodeHandoffKeyChanged = "handoff_key_changed"
)
