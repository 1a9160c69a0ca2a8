package edm

import "github.com/vienreiz/vienreiz/oots/regrep"

// ErrorCode is an EDM error response code from the OOTS code list
// EDMErrorCodes (codelists/v1.0/OOTS/EDMErrorCodes-CodeList.gc).
type ErrorCode string

// The EDM error codes.
const (
	// CodeFailedAuthentication (EDM:ERR:0001): failed authentication.
	CodeFailedAuthentication ErrorCode = "EDM:ERR:0001"
	// CodePreviewRequired (EDM:ERR:0002, "Missing Authorization"): the
	// evidence provider needs the user to preview the evidence first; the
	// exception carries PreviewLocation.
	CodePreviewRequired ErrorCode = "EDM:ERR:0002"
	// CodeInvalidRequest (EDM:ERR:0003): syntactically or semantically
	// invalid request.
	CodeInvalidRequest ErrorCode = "EDM:ERR:0003"
	// CodeObjectNotFound (EDM:ERR:0004): no evidence for the subject.
	CodeObjectNotFound ErrorCode = "EDM:ERR:0004"
	// CodeTimeout (EDM:ERR:0005): exceeding the time-out period.
	CodeTimeout ErrorCode = "EDM:ERR:0005"
	// CodeUnresolvedReference (EDM:ERR:0006): a referenced object cannot
	// be resolved.
	CodeUnresolvedReference ErrorCode = "EDM:ERR:0006"
	// CodeUnsupportedCapability (EDM:ERR:0007): an optional feature or
	// capability is not supported.
	CodeUnsupportedCapability ErrorCode = "EDM:ERR:0007"
	// CodeQueryException (EDM:ERR:0008): a problem while processing the
	// query request.
	CodeQueryException ErrorCode = "EDM:ERR:0008"
)

type codeInfo struct {
	name string
	typ  regrep.ExceptionType
}

// codeTable is the EDMErrorCodes code list (code → name, exception type).
func codeTable(c ErrorCode) (codeInfo, bool) {
	switch c {
	case CodeFailedAuthentication:
		return codeInfo{"Failed Authentication", regrep.AuthenticationException}, true
	case CodePreviewRequired:
		return codeInfo{"Missing Authorization", regrep.AuthorizationException}, true
	case CodeInvalidRequest:
		return codeInfo{"Syntactically or semantically invalid request", regrep.InvalidRequestException}, true
	case CodeObjectNotFound:
		return codeInfo{"Object not found", regrep.ObjectNotFoundException}, true
	case CodeTimeout:
		return codeInfo{"Exceeding timeout period", regrep.TimeoutException}, true
	case CodeUnresolvedReference:
		return codeInfo{"Referenced object that cannot be resolved", regrep.UnresolvedReferenceException}, true
	case CodeUnsupportedCapability:
		return codeInfo{"Optional feature or capability is not supported", regrep.UnsupportedCapabilityException}, true
	case CodeQueryException:
		return codeInfo{"Problem during the processing of a QueryRequest", regrep.QueryException}, true
	}
	return codeInfo{}, false
}

// Codes lists every EDM error code, in code list order.
func Codes() []ErrorCode {
	return []ErrorCode{
		CodeFailedAuthentication, CodePreviewRequired, CodeInvalidRequest, CodeObjectNotFound,
		CodeTimeout, CodeUnresolvedReference, CodeUnsupportedCapability, CodeQueryException,
	}
}

// Known reports whether c is in the EDMErrorCodes code list.
func (c ErrorCode) Known() bool {
	_, ok := codeTable(c)
	return ok
}

// Name returns the code list name of c ("Missing Authorization"), or "".
func (c ErrorCode) Name() string {
	i, _ := codeTable(c)
	return i.name
}

// ExceptionType returns the rs:Exception xsi:type the code list pairs with
// c, or regrep.RegistryException for an unknown code.
func (c ErrorCode) ExceptionType() regrep.ExceptionType {
	if i, ok := codeTable(c); ok {
		return i.typ
	}
	return regrep.RegistryException
}

// Error severities used in EDM error responses. The OOTS URN prefix changed
// after v1.0 (sr.oots.tech.europa.eu → sr.oots.tech.ec.europa.eu); Marshal
// writes the one of the target version and readers accept both.
const (
	SeverityError             = regrep.SeverityError
	SeverityPreviewRequiredV1 = "urn:sr.oots.tech.europa.eu:codes:ErrorSeverity:EDMErrorResponse:PreviewRequired"
	SeverityPreviewRequired   = "urn:sr.oots.tech.ec.europa.eu:codes:ErrorSeverity:EDMErrorResponse:PreviewRequired"
)

// isPreviewSeverity reports whether s is a PreviewRequired severity of any
// version.
func isPreviewSeverity(s string) bool {
	return s == SeverityPreviewRequired || s == SeverityPreviewRequiredV1
}

// previewSeverity returns the PreviewRequired severity URN for v.
func previewSeverity(v Version) string {
	if v == V1 {
		return SeverityPreviewRequiredV1
	}
	return SeverityPreviewRequired
}
