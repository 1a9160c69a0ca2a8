package lifecycle

import "time"

// Request is the lifecycle part of one evidence request. The exchange
// service stores it and passes it to Transition with each event.
type Request struct {
	// ID identifies the request (and the ExchangeId of its messages).
	ID string
	// State is where the request stands; a new request is Draft.
	State State
	// Timings are the procedure's step bounds; zero fields take Defaults.
	Timings Timings
	// ExplicitRequestAt is when the user gave the explicit request.
	ExplicitRequestAt time.Time
	// PreviewLocation is the provider's preview space, once asked for.
	PreviewLocation string
	// ErrorCode is the OOTS error code that failed the request.
	ErrorCode string
	// ExpectedBy is the expected-by time of the open step (the timeline's
	// date and the scheduled time-out); zero in a terminal state.
	ExpectedBy time.Time
	// DecisionBy is when the procedure's decision is expected, set on
	// delivery from the processing days.
	DecisionBy time.Time
	// Sends counts the QueryRequests the request asked to be sent.
	Sends int
	// UpdatedAt is the time of the last transition.
	UpdatedAt time.Time
}

// New returns a draft request whose look-up is expected to finish by
// now + the look-up bound, with the effects that start it.
func New(id string, t Timings, now time.Time) (Request, []Effect) {
	r := Request{ID: id, State: Draft, Timings: t, UpdatedAt: now}
	r.ExpectedBy = now.Add(t.withDefaults().LookUp)
	return r, []Effect{{Kind: LookUpProvider}, {Kind: ScheduleTimeout, At: r.ExpectedBy}}
}
