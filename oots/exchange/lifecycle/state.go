// Package lifecycle is the state machine of one OOTS evidence request, as
// DESIGN.md names it: draft → needs_attributes → ready → sent →
// preview_required → approved → sent → delivered, and from any open state
// refused, failed, expired or cancelled. It does no I/O: Transition returns
// the new request and the effects the caller must carry out.
package lifecycle

// State is where a request stands.
type State string

// The request states. The first seven are open; the rest are terminal.
const (
	// Draft: created, the Evidence Broker / Data Service Directory look-up
	// is running.
	Draft State = "draft"
	// NeedsAttributes: the DSD answered DSD:ERR:0005; the user must give
	// more attributes.
	NeedsAttributes State = "needs_attributes"
	// Ready: the provider is known; waiting for the explicit request, then
	// for the transport to accept the QueryRequest.
	Ready State = "ready"
	// Sent: the QueryRequest was accepted by the access point; waiting for
	// the provider's answer.
	Sent State = "sent"
	// PreviewRequired: the provider answered EDM:ERR:0002 with a
	// PreviewLocation; waiting for the user's decision.
	PreviewRequired State = "preview_required"
	// Approved: the user approved the preview; the second QueryRequest
	// (same ExchangeId, with the PreviewLocation) is being sent.
	Approved State = "approved"
	// Delivered: the evidence arrived (terminal).
	Delivered State = "delivered"
	// Refused: the user refused the preview (terminal).
	Refused State = "refused"
	// Failed: a provider, directory or transport error ended the request
	// (terminal, except that a failed look-up may be retried: Retry).
	Failed State = "failed"
	// Expired: a step's expected-by time passed (terminal).
	Expired State = "expired"
	// Cancelled: the user or the service withdrew the request (terminal).
	Cancelled State = "cancelled"
)

// States lists every state, open ones first.
func States() []State {
	return []State{Draft, NeedsAttributes, Ready, Sent, PreviewRequired, Approved, Delivered, Refused, Failed, Expired, Cancelled}
}

// Valid reports whether s is one of the named states.
func (s State) Valid() bool {
	for _, x := range States() {
		if s == x {
			return true
		}
	}
	return false
}

// Terminal reports whether the request has ended: no event moves it out
// of s, except Retry of a Failed request whose look-up failed before
// anything was sent.
func (s State) Terminal() bool {
	switch s {
	case Delivered, Refused, Failed, Expired, Cancelled:
		return true
	}
	return false
}
