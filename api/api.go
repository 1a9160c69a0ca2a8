// Package api holds the wire types of the exchange service REST API: the
// JSON bodies and error codes shared by the server (oots/exchange) and the
// Go SDK (client), with no dependency on either.
package api

import (
	"time"

	"github.com/vienreiz/vienreiz/catalogue"
)

// ServiceList is the body of GET /v1/services.
type ServiceList struct {
	Services []catalogue.Service `json:"services"`
	Count    int                 `json:"count"`
}

// Health is the body of GET /v1/health.
type Health struct {
	Status   string `json:"status"` // "ok", or "degraded" when the ledger was tampered with
	Database string `json:"database"`
	// Ledger is the result of the last ledger verification.
	Ledger *LedgerHealth `json:"ledger,omitempty"`
}

// Ledger verification states in LedgerHealth.Status.
const (
	LedgerOK        = "ok"
	LedgerTampered  = "tampered"
	LedgerUnchecked = "unchecked" // not verified yet, or the check could not run
)

// LedgerHealth is the result of the last verification of the ledger
// against its anchor file.
type LedgerHealth struct {
	Status     string    `json:"status"`
	Entries    int64     `json:"entries"`
	VerifiedAt time.Time `json:"verified_at,omitzero"`
	Problem    string    `json:"problem,omitempty"`
}

// Error is the JSON body of every error answer.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// LevelOfAssurance is the level the call needs, with CodeLevelTooLow:
	// the app signs in again at that level (step-up).
	LevelOfAssurance string `json:"level_of_assurance,omitempty"`
	// RequestID is the request under way, with CodeUnderWay.
	RequestID string `json:"request_id,omitempty"`
}

// CodeLevelTooLow (403) refuses a call whose sign-in is below the level of
// assurance the evidence needs (the directory's
// AuthenticationLevelOfAssurance); the error names the level.
const CodeLevelTooLow = "level_too_low"

// ErrorBody wraps Error as {"error": {...}}.
type ErrorBody struct {
	Error Error `json:"error"`
}

// Error codes of the REST API.
const (
	CodeBadRequest = "bad_request"
	CodeNotFound   = "not_found"
	CodeInternal   = "internal"
	// CodeUnavailable: the service cannot answer for a while (its
	// database is down); the answer is 503 with Retry-After.
	CodeUnavailable = "unavailable"
)

// NewRequest is the body of POST /v1/requests: the citizen asks for the
// evidence of one requirement of a catalogue service, from one country.
type NewRequest struct {
	ServiceID   string `json:"service_id"`
	Requirement string `json:"requirement"`
	Country     string `json:"country"`
	// MandateID, when set, makes the request for the person who gave the
	// caller that mandate: it is theirs, and the caller is its
	// representative.
	MandateID string `json:"mandate_id,omitempty"`
	// Key, when set (8 to 64 letters, digits, "-" or "_"), names the
	// caller's intent to make this request: a POST repeated with the same
	// key, its answer lost (a network gone, the person stopped waiting),
	// answers with the request the first one made instead of making
	// another. The app makes one per Start and keeps it until an answer
	// arrives. A key reused for another request is refused (409).
	Key string `json:"key,omitempty"`
}

// Refusals of a request made under a mandate (403), each with its code.
const (
	CodeMandateExpired     = "mandate_expired"
	CodeMandateRevoked     = "mandate_revoked"
	CodeMandateNotYetValid = "mandate_not_yet_valid"
	CodeMandateOutOfScope  = "mandate_out_of_scope"
)

// Refusals of a request for evidence about another kind of subject (422):
// the evidence is about a company and the request is not made for one
// (under a company's mandate), or the evidence is about a person and the
// request is made for a company.
const (
	CodeEvidenceForCompanies = "evidence_for_companies"
	CodeEvidenceForPersons   = "evidence_for_persons"
)

// CountryList is the answer of GET /v1/evidence-countries: the member
// states in which the Evidence Broker knows evidence for a requirement.
type CountryList struct {
	Requirement string   `json:"requirement"`
	Countries   []string `json:"countries"`
}

// Attributes is the body of POST /v1/requests/{id}/attributes: the answers
// to the questions the Data Service Directory asked (DSD:ERR:0005).
type Attributes struct {
	// Values maps a question's name to the chosen value.
	Values map[string]string `json:"values"`
}

// Request is an evidence request as the API shows it to its owner.
type Request struct {
	ID              string            `json:"id"`
	ServiceID       string            `json:"service_id"`
	Requirement     string            `json:"requirement"`
	Country         string            `json:"country"`
	State           string            `json:"state"`
	ExpectedBy      *time.Time        `json:"expected_by,omitempty"`
	DecisionBy      *time.Time        `json:"decision_by,omitempty"`
	ErrorCode       string            `json:"error_code,omitempty"`
	Problem         string            `json:"problem,omitempty"`
	PreviewLocation string            `json:"preview_location,omitempty"`
	EvidenceType    *EvidenceType     `json:"evidence_type,omitempty"`
	Provider        *Provider         `json:"provider,omitempty"`
	Questions       []Question        `json:"questions,omitempty"`
	Answers         map[string]string `json:"answers,omitempty"`
	LegalBasis      string            `json:"legal_basis"`
	// Archived: the owner put the ended request away (POST
	// /v1/requests/{id}/archive); it stays, lists mark it.
	Archived bool `json:"archived,omitempty"`
	// FeedbackRating is the owner's rating of the finished application
	// (POST /v1/requests/{id}/feedback), 0 until given.
	FeedbackRating int `json:"feedback_rating,omitempty"`
	// Citizen names the person the request is for (a clerk's desk).
	Citizen string `json:"citizen,omitempty"`
	// Representative names who made the request for Citizen under a
	// mandate ("Name (identifier)"); MandateID is that mandate.
	Representative string `json:"representative,omitempty"`
	MandateID      string `json:"mandate_id,omitempty"`
	// For, in the list and GET /v1/requests/{id} of the representative who
	// made the request under a mandate, is whom it is for (the person's or
	// company's identifier), ForName their name; "" for the owner.
	For     string `json:"for,omitempty"`
	ForName string `json:"for_name,omitempty"`
	// AskedBy is the institution whose clerk asked for this evidence for
	// application ForApplication (the citizen confirms it with the
	// explicit request); nil for a request the citizen started.
	AskedBy        *catalogue.Provider `json:"asked_by,omitempty"`
	ForApplication string              `json:"for_application,omitempty"`
	// Mandates, in a clerk's view, are the active mandates under which
	// someone may act for the citizen in this service, or the citizen for
	// someone: who the clerk may deal with.
	Mandates []Mandate `json:"mandates,omitempty"`
	// Unread, in a clerk's view, says the request moved on since the
	// clerk last opened it; Decision is the clerk's decision once taken
	// (DecisionApproved or DecisionRefused).
	Unread    bool      `json:"unread,omitempty"`
	Decision  string    `json:"decision,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Timeline  []Step    `json:"timeline,omitempty"`
	// Preview is the evidence as the provider's preview space shows it,
	// once fetched; Evidence lists the delivered documents.
	Preview  *Preview       `json:"preview,omitempty"`
	Evidence []EvidenceFile `json:"evidence,omitempty"`
	// PreviewURL, while a preview waits and the service has a preview
	// return URL (a real network), is where the app sends the citizen's
	// browser: the PreviewLocation with our return URL in its returnurl
	// parameter. After the preview the browser comes back to the
	// request's direct link and the app calls
	// POST /v1/requests/{id}/preview/returned.
	PreviewURL string `json:"preview_url,omitempty"`
}

// Preview is the evidence shown before the citizen decides (OOTS preview).
type Preview struct {
	Title    string         `json:"title"`
	Provider string         `json:"provider"`
	Fields   []PreviewField `json:"fields"`
	// Language is the language of the provider's texts (ISO 639-1);
	// Languages are those it offers.
	Language  string    `json:"language,omitempty"`
	Languages []string  `json:"languages,omitempty"`
	Expires   time.Time `json:"expires"`
	Decision  string    `json:"decision,omitempty"` // approve or refuse, once decided
}

// PreviewField is one line of previewed evidence.
type PreviewField struct {
	Name       string `json:"name"`
	Value      string `json:"value"`
	Source     string `json:"source"`
	LegalBasis string `json:"legal_basis"`
}

// Decision is the body of POST /v1/requests/{id}/preview/decision.
type Decision struct {
	Decision string `json:"decision"` // approve or refuse
}

// EvidenceFile is one delivered evidence document, or a result document
// a clerk attached (Issuer set).
type EvidenceFile struct {
	Index       int    `json:"index"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	// Title, Issuer and IssuedAt describe a result document: the
	// institution that decided the application issued it.
	Title    string              `json:"title,omitempty"`
	Issuer   *catalogue.Provider `json:"issuer,omitempty"`
	IssuedAt time.Time           `json:"issued_at,omitzero"`
}

// Document is one delivered evidence document of the caller with the
// request it came with (GET /v1/evidence: "my evidence").
type Document struct {
	RequestID   string `json:"request_id"`
	ServiceID   string `json:"service_id"`
	Requirement string `json:"requirement"`
	Country     string `json:"country"`
	Provider    string `json:"provider,omitempty"`
	// ProviderNames names the provider (or the issuer) in every language
	// given, by upper-case language code (EN, LV).
	ProviderNames map[string]string `json:"provider_names,omitempty"`
	Title         map[string]string `json:"title,omitempty"`
	DeliveredAt   time.Time         `json:"delivered_at"`
	File          EvidenceFile      `json:"file"`
	// Issuer is set for a result document: the institution that decided
	// the application (Provider holds its English name, Requirement is
	// empty: it is no evidence for another service).
	Issuer *catalogue.Provider `json:"issuer,omitempty"`
	// For is set on the document of a request the caller made for someone
	// else under their mandate: the identifier of the person or company
	// it is about, ForName their name.
	For     string `json:"for,omitempty"`
	ForName string `json:"for_name,omitempty"`
}

// DocumentList is the answer of GET /v1/evidence, newest first.
type DocumentList struct {
	Documents []Document `json:"documents"`
	Count     int        `json:"count"`
}

// EvidenceType is the evidence type the Evidence Broker named.
type EvidenceType struct {
	Classification string            `json:"classification"`
	Title          map[string]string `json:"title"`
}

// Provider is the evidence provider the Data Service Directory named.
type Provider struct {
	ID   string `json:"id"`
	Name string `json:"name"` // in English
	// Names holds the name in every language the directory gives, by
	// upper-case language code (EN, LV).
	Names      map[string]string `json:"names,omitempty"`
	PartyID    string            `json:"party_id"`
	EDMVersion string            `json:"edm_version"`
	// LevelOfAssurance is the sign-in level the provider needs for this
	// evidence (Low, Substantial, High), when the directory names one.
	LevelOfAssurance string `json:"level_of_assurance,omitempty"`
}

// Question is an attribute the Data Service Directory needs from the user
// before it can name the provider.
type Question struct {
	Name        string `json:"name"`
	Description string `json:"description"` // in English
	// Descriptions holds the question in every language the directory
	// gives it, by upper-case language code (EN, DE).
	Descriptions map[string]string `json:"descriptions,omitempty"`
	// Values, when set, are the only answers accepted.
	Values []string `json:"values,omitempty"`
	// Labels name the values (e.g. NUTS region names), by value.
	Labels map[string]string `json:"labels,omitempty"`
}

// Step is one entry of a request's timeline.
type Step struct {
	At         time.Time  `json:"at"`
	Event      string     `json:"event"`
	State      string     `json:"state"`
	Detail     string     `json:"detail,omitempty"`
	ExpectedBy *time.Time `json:"expected_by,omitempty"`
	// From is the institution whose clerk made this step (ByClerk events).
	From *catalogue.Provider `json:"from,omitempty"`
}

// RequestList is the body of GET /v1/requests.
type RequestList struct {
	Requests []Request `json:"requests"`
	Count    int       `json:"count"`
}

// More error codes of the REST API.
const (
	CodeUnauthorized = "unauthorized"
	CodeConflict     = "conflict"
	CodeForbidden    = "forbidden"
	// CodeTooManyRequests (429): the caller holds too much open at once, or
	// tried too many codes that do not exist (Retry-After says when again).
	CodeTooManyRequests = "too_many_requests"
	// CodeProviderRefused: the evidence provider's service refused a
	// call made for the citizen (502); the message has its words.
	CodeProviderRefused = "provider_refused"
	// CodeProviderUnavailable: the evidence provider's service could not
	// be reached or failed (502 with Retry-After).
	CodeProviderUnavailable = "provider_unavailable"
	// CodeDecidedMeanwhile (409): the application was decided after the
	// clerk's page was read (StatusChange.Replaces is not what stands).
	CodeDecidedMeanwhile = "decided_meanwhile"
	// CodeUnderWay (409): another request of the person for the same
	// evidence (service, requirement, country, mandate) is under way
	// (Error.RequestID); a failed one is not retried beside it.
	CodeUnderWay = "under_way"
)

// Event is one change of a request, as GET /v1/events streams it
// (server-sent events named "request").
type Event struct {
	RequestID string    `json:"request_id"`
	Event     string    `json:"event"`
	State     string    `json:"state"`
	At        time.Time `json:"at"`
	// Detail is the timeline entry's text, e.g. a clerk's message.
	Detail string `json:"detail,omitempty"`
	// From is the institution whose clerk made the change (ByClerk events).
	From *catalogue.Provider `json:"from,omitempty"`
	// Desk marks an event a clerk hears of an application of their
	// institution, not of a request of their own.
	Desk bool `json:"desk,omitempty"`
}

// StatusChange is the body of POST /v1/requests/{id}/status: a clerk's
// message about the application the request serves (status register).
type StatusChange struct {
	Message string `json:"message"`
	// Decision, when set, decides the application: DecisionApproved or
	// DecisionRefused, with Message as the reasons.
	Decision string `json:"decision,omitempty"`
	// Replaces is the decision that stood when the clerk decided ("" for
	// none): a decision taken meanwhile is not overridden unseen (409
	// CodeDecidedMeanwhile).
	Replaces string `json:"replaces,omitempty"`
}

// Decisions a clerk takes on an application (StatusChange.Decision).
const (
	DecisionApproved = "approved"
	DecisionRefused  = "refused"
)

// The timeline events a clerk makes on an application.
const (
	EventStatusPosted        = "status_posted"
	EventApplicationApproved = "application_approved"
	EventApplicationRefused  = "application_refused"
	// EventEvidenceAsked: on the application, the clerk asked for more
	// evidence; on the new request, the first step.
	EventEvidenceAsked  = "evidence_asked"
	EventResultAttached = "result_attached"
)

// EventOffered is the timeline step that offers the citizen the other
// services the evidence just delivered also serves; its detail is their
// catalogue identifiers, comma-separated, for the app to name.
const EventOffered = "offered"

// Events of the mandate register, on the streams of the representative
// and of the represented person; they name no request.
const (
	EventMandateGiven   = "mandate_given"
	EventMandateRevoked = "mandate_revoked"
)

// ByClerk reports whether event is one a clerk makes (its step names the
// institution in From).
func ByClerk(event string) bool {
	switch event {
	case EventStatusPosted, EventApplicationApproved, EventApplicationRefused, EventEvidenceAsked, EventResultAttached:
		return true
	}
	return false
}

// EvidenceAsk is the body of POST /v1/requests/{id}/ask-evidence: a clerk
// asks the citizen for evidence the application still lacks. It starts a
// request the citizen must confirm (explicit request); nothing is
// fetched before that.
type EvidenceAsk struct {
	// Requirement is one of the service's requirements; Country is where
	// the evidence is to come from.
	Requirement string `json:"requirement"`
	Country     string `json:"country"`
	// Message tells the citizen why (required).
	Message string `json:"message"`
}

// Result documents a clerk attaches (POST /v1/requests/{id}/result).
const (
	// MaxResultSize bounds a result document, in bytes.
	MaxResultSize = 10 << 20
	// MaxResultTitle bounds its title, in bytes.
	MaxResultTitle = 200
)

// ResultType reports whether a result document may have the media type:
// PDF, PNG or JPEG.
func ResultType(media string) bool {
	switch media {
	case "application/pdf", "image/png", "image/jpeg":
		return true
	}
	return false
}

// LedgerEntry is one ledger entry of a request's trail (GET
// /v1/requests/{id}/ledger): who did what, for whom, when, with the
// entry's hash in its person's chain.
type LedgerEntry struct {
	Seq   int64     `json:"seq"`
	Time  time.Time `json:"time"`
	Actor string    `json:"actor"`
	// ActorName names an actor the service gave a role (a clerk), as
	// they signed in; empty for others.
	ActorName  string `json:"actor_name,omitempty"`
	OnBehalfOf string `json:"on_behalf_of"`
	Action     string `json:"action"`
	What       string `json:"what,omitempty"`
	Hash       string `json:"hash"`
}

// LedgerTrail is the answer of GET /v1/requests/{id}/ledger.
type LedgerTrail struct {
	RequestID string        `json:"request_id"`
	Entries   []LedgerEntry `json:"entries"`
}
