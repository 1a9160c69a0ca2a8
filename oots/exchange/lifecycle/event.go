package lifecycle

import "time"

// EventKind names what happened to a request.
type EventKind string

// The events a request reacts to.
const (
	// ProviderFound: the EB/DSD look-up named the provider and its access
	// point.
	ProviderFound EventKind = "provider_found"
	// AttributesNeeded: the DSD answered DSD:ERR:0005.
	AttributesNeeded EventKind = "attributes_needed"
	// AttributesGiven: the user gave the attributes the DSD asked for.
	AttributesGiven EventKind = "attributes_given"
	// ExplicitRequestGiven: the user confirmed who asks what from whom on
	// which legal basis.
	ExplicitRequestGiven EventKind = "explicit_request_given"
	// QuerySent: the access point accepted the QueryRequest (AS4 receipt).
	QuerySent EventKind = "query_sent"
	// ResponseDeferred: the provider said the evidence will be available
	// later (QueryResponse slot ResponseAvailableDateTime); set AvailableAt.
	ResponseDeferred EventKind = "response_deferred"
	// PreviewRequested: the provider answered EDM:ERR:0002 with a
	// PreviewLocation; set PreviewLocation.
	PreviewRequested EventKind = "preview_requested"
	// PreviewApproved: the user approved the evidence in the preview space.
	PreviewApproved EventKind = "preview_approved"
	// PreviewReturned: the user came back from the provider's preview
	// space in the browser (OOTS redirect flow); the provider, which saw
	// the decision, answers the second request with the evidence or a
	// refusal.
	PreviewReturned EventKind = "preview_returned"
	// PreviewRefused: the user refused the evidence in the preview space.
	PreviewRefused EventKind = "preview_refused"
	// EvidenceDelivered: the QueryResponse with the evidence arrived.
	EvidenceDelivered EventKind = "evidence_delivered"
	// ProviderError: an ExceptionResponse, directory or transport error;
	// set Code (EDM:ERR:…, DSD:ERR:…, EB:ERR:…, EBMS:…).
	ProviderError EventKind = "provider_error"
	// TimedOut: a scheduled time-out fired; set Deadline to the time it
	// was scheduled for, so stale time-outs are recognised.
	TimedOut EventKind = "timed_out"
	// Cancel: the user or the service withdrew the request.
	Cancel EventKind = "cancel"
	// Retry: the user asks for the directory look-up again after it failed
	// (a wrong answer, DSD:ERR:0006, or a transient EB/DSD error); allowed
	// only while no QueryRequest was sent.
	Retry EventKind = "retry"
)

// EventKinds lists every event kind.
func EventKinds() []EventKind {
	return []EventKind{ProviderFound, AttributesNeeded, AttributesGiven, ExplicitRequestGiven, QuerySent, ResponseDeferred,
		PreviewRequested, PreviewApproved, PreviewReturned, PreviewRefused, EvidenceDelivered, ProviderError, TimedOut, Cancel, Retry}
}

// Event is one thing that happened to a request.
type Event struct {
	Kind EventKind
	// PreviewLocation is the https URL of the preview space
	// (PreviewRequested).
	PreviewLocation string
	// Code is the OOTS error code (ProviderError).
	Code string
	// AvailableAt is when the provider expects the evidence
	// (ResponseDeferred).
	AvailableAt time.Time
	// Deadline is the expected-by time the time-out was scheduled for
	// (TimedOut).
	Deadline time.Time
}
