package api

import "time"

// Who an inbox item is from (Sender.Kind).
const (
	// SenderProvider: the evidence provider of the request (a preview is
	// ready, the evidence came, the provider could not answer).
	SenderProvider = "provider"
	// SenderInstitution: the institution that runs the service the
	// request serves (its clerk's message or decision).
	SenderInstitution = "institution"
	// SenderService: the exchange service itself (a question, a time-out,
	// an offer).
	SenderService = "service"
	// SenderRepresentative: the person who acts for the owner under a
	// mandate (made the request, gave the explicit request, decided on
	// the preview, withdrew it); the owner hears of each such step.
	SenderRepresentative = "representative"
)

// Sender names who an inbox item is from.
type Sender struct {
	Kind string `json:"kind"`
	// ID is the provider's or the institution's id, where known.
	ID string `json:"id,omitempty"`
	// Names name the sender by lower-case language code (lv, en).
	Names map[string]string `json:"names,omitempty"`
}

// InboxItem is one message of the caller's inbox (P10): a step of one of
// their requests, which service and evidence it is about, who sent it and
// whether it was read.
type InboxItem struct {
	ID          string `json:"id"`
	RequestID   string `json:"request_id"`
	ServiceID   string `json:"service_id"`
	Requirement string `json:"requirement"`
	// Evidence names the evidence requested by lower-case language code,
	// as the Evidence Broker titled it (empty before it was looked up).
	Evidence map[string]string `json:"evidence,omitempty"`
	// Event and State are the timeline step's (see Step); Detail its
	// text, e.g. a clerk's own words or the services an offer names.
	Event  string    `json:"event"`
	State  string    `json:"state"`
	Detail string    `json:"detail,omitempty"`
	From   Sender    `json:"from"`
	At     time.Time `json:"at"`
	Read   bool      `json:"read"`
	// ActionNeeded is set on an item that asks the person to act (answer
	// questions, look at a preview); it leaves the inbox once the request
	// has moved on.
	ActionNeeded bool `json:"action_needed,omitempty"`
}

// Inbox is the answer of GET /v1/inbox: a page of the caller's items,
// newest first (at most 200), and how many of all their items are unread.
type Inbox struct {
	Items  []InboxItem `json:"items"`
	Count  int         `json:"count"`
	Unread int         `json:"unread"`
	// Next, when older items follow, is where their page starts:
	// GET /v1/inbox?before=<Next>. It stays good when the page's last
	// item has left the inbox meanwhile.
	Next string `json:"next,omitempty"`
}

// InboxRead is the answer of POST /v1/inbox/read and
// /v1/inbox/{id}/read: how many items are still unread.
type InboxRead struct {
	Unread int `json:"unread"`
}
