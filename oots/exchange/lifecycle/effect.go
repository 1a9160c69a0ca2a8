package lifecycle

import "time"

// EffectKind names something the caller must do after a transition.
type EffectKind string

// The effects a transition asks for.
const (
	// LookUpProvider: query the EB and DSD (again, with the attributes).
	LookUpProvider EffectKind = "look_up_provider"
	// AskAttributes: ask the user for the attributes the DSD needs.
	AskAttributes EffectKind = "ask_attributes"
	// SendQueryRequest: send the EDM QueryRequest over AS4; for the second
	// request PreviewLocation is set and the ExchangeId stays the same.
	SendQueryRequest EffectKind = "send_query_request"
	// NotifyUser: tell the user; Notice says about what.
	NotifyUser EffectKind = "notify_user"
	// ScheduleTimeout: enqueue a TimedOut event at At (Deadline = At).
	ScheduleTimeout EffectKind = "schedule_timeout"
	// CancelTimeout: the pending time-out is no longer needed (it would be
	// ignored as stale anyway).
	CancelTimeout EffectKind = "cancel_timeout"
	// RecordLedger: append a ledger entry; Notice names the action.
	RecordLedger EffectKind = "record_ledger"
	// StoreEvidence: put the delivered evidence into the wallet.
	StoreEvidence EffectKind = "store_evidence"
)

// Effect is one thing the caller must carry out, in order.
type Effect struct {
	Kind EffectKind
	// At is the time of a ScheduleTimeout.
	At time.Time
	// PreviewLocation goes into the second SendQueryRequest.
	PreviewLocation string
	// Notice names the ledger action (a valid ledger Action: the event's
	// name) or the notification's subject (the event or the new state).
	// A ProviderError's code is in the request's ErrorCode.
	Notice string
}
