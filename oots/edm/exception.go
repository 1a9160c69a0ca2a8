package edm

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/oots/regrep"
)

// Exception is the rs:Exception of an EDM error response.
type Exception struct {
	// Code is the EDM error code. Marshal refuses codes outside the code
	// list unless Type is set explicitly (as it is in every parsed message,
	// so messages from senders that left the code out can be re-written).
	Code ErrorCode
	// Type is the rs:Exception xsi:type; Marshal uses Code.ExceptionType()
	// when empty.
	Type regrep.ExceptionType
	// Severity is the severity URN; Marshal writes SeverityError, or for
	// CodePreviewRequired the PreviewRequired URN of the target version,
	// when empty.
	Severity string
	// Message is a short text; Marshal writes the code list name when empty.
	Message string
	// Detail is an optional longer explanation.
	Detail    string
	Timestamp time.Time
	// PreviewLocation is where the user previews the evidence (https URL);
	// mandatory with CodePreviewRequired, and kept on later errors of the
	// same exchange (Projectathon TC09: time-out after the preview).
	PreviewLocation string
	// PreviewMethod is "GET" or "POST" (how to open PreviewLocation).
	PreviewMethod      string
	PreviewDescription []Text
}

// Error describes the exception.
func (x *Exception) Error() string {
	var b strings.Builder
	b.WriteString(string(x.Code))
	if x.Code == "" {
		b.WriteString(string(x.Type))
	}
	if x.Message != "" {
		b.WriteString(": " + x.Message)
	}
	if x.Detail != "" {
		b.WriteString(" (" + x.Detail + ")")
	}
	return b.String()
}

// ExceptionResponse is an EDM error response: a query:QueryResponse with
// status Failure and an rs:Exception, e.g. EDM:ERR:0002 "preview required"
// or EDM:ERR:0005 "time-out".
type ExceptionResponse struct {
	Version    Version // read by Parse; Marshal takes the version to write
	RequestID  string  // id of the request answered
	ExchangeID string  // transport metadata, see QueryRequest.ExchangeID
	ResponseID string  // EvidenceResponseIdentifier (a UUID)
	// ErrorProvider is the agent reporting the error (classification ERRP).
	ErrorProvider     Agent
	EvidenceRequester Agent
	Exception         Exception
}

// Error makes an error response usable as a Go error.
func (r *ExceptionResponse) Error() string {
	return "evidence provider error " + r.Exception.Error()
}

// PreviewRequired reports whether the provider asks for a preview
// (EDM:ERR:0002 with a PreviewLocation); the requester then sends the
// request again with QueryRequest.AfterPreview.
func (r *ExceptionResponse) PreviewRequired() bool {
	return r.Exception.Code == CodePreviewRequired && r.Exception.PreviewLocation != ""
}

// Timeout reports whether the provider answered EDM:ERR:0005.
func (r *ExceptionResponse) Timeout() bool { return r.Exception.Code == CodeTimeout }

// SpecVersion returns the version the message was read with.
func (r *ExceptionResponse) SpecVersion() Version { return r.Version }

// NewErrorResponse answers req with the error code, from provider (its
// classification is set to ERRP), at time now.
func NewErrorResponse(req *QueryRequest, provider Agent, code ErrorCode, detail string, now time.Time) *ExceptionResponse {
	provider.Classification = ClassErrorProvider
	return &ExceptionResponse{
		Version:           req.Version,
		RequestID:         req.ID,
		ExchangeID:        req.ExchangeID,
		ResponseID:        NewUUID(),
		ErrorProvider:     provider,
		EvidenceRequester: RequesterOf(req),
		Exception:         Exception{Code: code, Detail: detail, Timestamp: now},
	}
}

// NewPreviewRequired answers req with EDM:ERR:0002: the user must preview
// the evidence at location (an https URL, opened with GET) before it is
// sent. Add PreviewDescription texts as needed.
func NewPreviewRequired(req *QueryRequest, provider Agent, location string, now time.Time) *ExceptionResponse {
	r := NewErrorResponse(req, provider, CodePreviewRequired,
		"The server needs authorisation and preview on its side to process the request", now)
	r.Exception.PreviewLocation = location
	r.Exception.PreviewMethod = "GET"
	return r
}

// NewTimeout answers req with EDM:ERR:0005 (exceeding the time-out
// period), e.g. when a base registry did not answer in time.
func NewTimeout(req *QueryRequest, provider Agent, detail string, now time.Time) *ExceptionResponse {
	return NewErrorResponse(req, provider, CodeTimeout, detail, now)
}

// NewQueryResponse answers req with evidence from provider, at time now.
func NewQueryResponse(req *QueryRequest, provider Agent, now time.Time, items ...EvidenceItem) *QueryResponse {
	provider.Classification = ClassEvidenceProvider
	return &QueryResponse{
		Version:           req.Version,
		RequestID:         req.ID,
		ExchangeID:        req.ExchangeID,
		Status:            StatusSuccess,
		ResponseID:        NewUUID(),
		IssueDateTime:     now,
		EvidenceProviders: []Agent{provider},
		EvidenceRequester: RequesterOf(req),
		Evidence:          items,
	}
}

// RequesterOf returns the evidence requester of req (the agent classified
// ER, else the first) reduced to identifier and names, the form responses
// carry it in.
func RequesterOf(req *QueryRequest) Agent {
	if len(req.EvidenceRequesters) == 0 {
		return Agent{}
	}
	a := req.EvidenceRequesters[0]
	for _, r := range req.EvidenceRequesters {
		if r.Classification == ClassEvidenceRequester {
			a = r
			break
		}
	}
	return Agent{Identifier: a.Identifier, Names: a.Names}
}

// checkPreviewLocation accepts only absolute https URLs with a host: the
// app opens this address for the citizen, so anything else (javascript:,
// http:, relative) is refused.
func checkPreviewLocation(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%w: %q is not an https URL", ErrInvalid, s)
	}
	return nil
}

// normalizeMethod returns GET or POST, or an error.
func normalizeMethod(m string) (string, error) {
	switch u := strings.ToUpper(m); u {
	case "GET", "POST":
		return u, nil
	}
	return "", fmt.Errorf("%w: %q (want GET or POST)", ErrInvalid, m)
}
