package commonsvc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vienreiz/vienreiz/oots/regrep"
)

// Service names a common service in errors.
type Service string

// The two common services.
const (
	EvidenceBroker       Service = "evidence broker"
	DataServiceDirectory Service = "data service directory"
)

// Code is an error code of the EBErrorCodes or DSDErrorCodes code list.
type Code string

// Evidence Broker error codes (EBErrorCodes-CodeList).
const (
	EBEmptyResult          Code = "EB:ERR:0001"
	EBRequirementNotFound  Code = "EB:ERR:0002"
	EBBadParameters        Code = "EB:ERR:0003"
	EBBadJurisdictionLevel Code = "EB:ERR:0004"
	EBUnknownProcedure     Code = "EB:ERR:0005"
	EBUnknownCountry       Code = "EB:ERR:0006"
	EBUnknownQuery         Code = "EB:ERR:0007"
)

// Data Service Directory error codes (DSDErrorCodes-CodeList).
const (
	DSDNoDataServices       Code = "DSD:ERR:0001"
	DSDEvidenceTypeNotFound Code = "DSD:ERR:0002"
	DSDBadParameters        Code = "DSD:ERR:0003"
	DSDUnknownQuery         Code = "DSD:ERR:0004"
	DSDAttributesRequired   Code = "DSD:ERR:0005"
	DSDBadParameterValue    Code = "DSD:ERR:0006"
)

// SeverityAdditionalInput is the severity of DSD:ERR:0005 (ErrorSeverity
// code list, v1.0 URN).
const SeverityAdditionalInput = "urn:sr.oots.tech.europa.eu:codes:ErrorSeverity:DSDErrorResponse:AdditionalInput"

// Info returns the code list message and exception type of c; ok is false
// for codes not in the code lists.
func (c Code) Info() (message string, typ regrep.ExceptionType, ok bool) {
	nf, ir := regrep.ObjectNotFoundException, regrep.InvalidRequestException
	switch c {
	case EBEmptyResult:
		return "The result set is empty", nf, true
	case EBRequirementNotFound:
		return "The requirement requested, represented by the requirement id, does not exist", nf, true
	case EBBadParameters:
		return "The query parameters do not follow the query specification", ir, true
	case EBBadJurisdictionLevel:
		return "The jurisdiction level code query parameter is invalid or unknown", ir, true
	case EBUnknownProcedure:
		return "The value of the procedure-id query parameter is invalid or unknown", ir, true
	case EBUnknownCountry:
		return "The value of the procedure implementation country query parameter is invalid or unknown", ir, true
	case EBUnknownQuery:
		return "The requested Query does not exist", ir, true
	case DSDNoDataServices:
		return "No Data Services were found based on the given parameters", nf, true
	case DSDEvidenceTypeNotFound:
		return "The Evidence Type requested cannot be found", nf, true
	case DSDBadParameters:
		return "The query parameters do not follow the query specification", ir, true
	case DSDUnknownQuery:
		return "The requested Query does not exist", ir, true
	case DSDAttributesRequired:
		return "The query requires the included extra attributes to be provided by the user", nf, true
	case DSDBadParameterValue:
		return "Incorrect provided value for requested parameters", ir, true
	}
	return "", "", false
}

// QueryError is an error answer of a common service: an rs:Exception with
// an EB:ERR or DSD:ERR code. errors.Is matches it against another
// QueryError by Code alone, so errors.Is(err, &QueryError{Code: c}) tests
// for a code.
type QueryError struct {
	Service  Service
	URL      string // the query URL; "" when not from the network
	Code     Code
	Type     regrep.ExceptionType
	Severity string
	Message  string
	Detail   string // often the offending parameter or value
}

func (e *QueryError) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Service))
	if e.URL != "" {
		b.WriteString(" (" + e.URL + ")")
	}
	b.WriteString(": ")
	if e.Code != "" {
		b.WriteString(string(e.Code) + " ")
	}
	b.WriteString(e.Message)
	if e.Detail != "" {
		b.WriteString(" [" + e.Detail + "]")
	}
	return b.String()
}

// Is reports whether target is a QueryError with the same code.
func (e *QueryError) Is(target error) bool {
	t, ok := target.(*QueryError)
	return ok && t.Code == e.Code
}

// newQueryError returns the code list's error for c with detail.
func newQueryError(svc Service, c Code, detail string) *QueryError {
	msg, typ, _ := c.Info()
	return &QueryError{Service: svc, Code: c, Type: typ, Severity: regrep.SeverityError, Message: msg, Detail: detail}
}

// CodeOf returns the EB/DSD error code carried by err, or "".
func CodeOf(err error) Code {
	var q *QueryError
	if errors.As(err, &q) {
		return q.Code
	}
	var a *AttributesRequiredError
	if errors.As(err, &a) {
		return DSDAttributesRequired
	}
	return ""
}

// AttributesRequiredError is the DSD:ERR:0005 answer: the directory needs
// attributes from the user before it can name a provider. Each request
// names one evidence type and what to ask; answer with a DataServicesQuery
// carrying EvidenceTypeID, JurisdictionContext with AdminLevel2 or
// AdminLevel3, and one Classifications entry per classification.
type AttributesRequiredError struct {
	URL      string
	Requests []AttributeRequest
}

// AttributeRequest is one DSD:ERR:0005 exception.
type AttributeRequest struct {
	Message string
	Detail  string
	// EvidenceType is the DSD's evidence type (without access services);
	// nil when the answer left it out (pre-1.0 samples).
	EvidenceType *DataServiceEvidenceType
	// Jurisdiction asks for a place (e.g. region at NUTS1 level).
	Jurisdiction *JurisdictionDetermination
	// Classifications ask the user to classify themselves; the allowed
	// values are in SupportedValues when the directory gives them.
	Classifications []ClassificationConcept
}

func (e *AttributesRequiredError) Error() string {
	var asks []string
	for _, r := range e.Requests {
		if r.Jurisdiction != nil {
			asks = append(asks, fmt.Sprintf("%s at %s level (%s)", r.Jurisdiction.Contexts.Get("EN"), r.Jurisdiction.Level, r.Jurisdiction.Param()))
		}
		for _, c := range r.Classifications {
			s := fmt.Sprintf("%s (%s)", c.Descriptions.Get("EN"), c.ID)
			if len(c.SupportedValues) > 0 {
				s += " one of " + strings.Join(c.SupportedValues, ", ")
			}
			asks = append(asks, s)
		}
	}
	where := ""
	if e.URL != "" {
		where = " (" + e.URL + ")"
	}
	return fmt.Sprintf("%s%s: %s user-provided attributes required: %s", DataServiceDirectory, where, DSDAttributesRequired, strings.Join(asks, "; "))
}

// Is makes errors.Is(err, &QueryError{Code: DSDAttributesRequired}) true.
func (e *AttributesRequiredError) Is(target error) bool {
	t, ok := target.(*QueryError)
	return ok && t.Code == DSDAttributesRequired
}

// UnavailableError means a common service could not be asked or did not
// answer: connection refused, time-out, or an HTTP 5xx status.
type UnavailableError struct {
	Service    Service
	URL        string
	StatusCode int   // HTTP status when one was received, else 0
	Err        error // the transport error, or nil for a status
}

func (e *UnavailableError) Error() string {
	if e.StatusCode != 0 {
		return fmt.Sprintf("%s unavailable at %s: HTTP status %d", e.Service, e.URL, e.StatusCode)
	}
	return fmt.Sprintf("%s unavailable at %s: %v", e.Service, e.URL, e.Err)
}

// Unwrap returns the transport error.
func (e *UnavailableError) Unwrap() error { return e.Err }

// AnswerError means a service answered, but not with a usable RegRep
// query response: malformed, hostile, oversize or of the wrong shape.
type AnswerError struct {
	Service    Service
	URL        string
	StatusCode int
	Err        error
}

func (e *AnswerError) Error() string {
	return fmt.Sprintf("%s answer from %s (HTTP %d) rejected: %v", e.Service, e.URL, e.StatusCode, e.Err)
}

// Unwrap returns the cause.
func (e *AnswerError) Unwrap() error { return e.Err }
