package regrep

import (
	"fmt"

	"github.com/beevik/etree"
)

// Response status values (the status attribute of rs:RegistryResponse and
// query:QueryResponse).
const (
	StatusSuccess        = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
	StatusFailure        = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"
	StatusPartialSuccess = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:PartialSuccess"
	StatusUnavailable    = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Unavailable"
)

// RegRep error severities; OOTS adds its own (see package edm).
const (
	SeverityError   = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"
	SeverityWarning = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning"
)

// ExceptionType is the xsi:type of an rs:Exception, written with this
// package's prefix: "rs:AuthorizationExceptionType", or
// "query:QueryExceptionType" for the one type in the query namespace.
// Reading resolves whatever prefix the document used to these forms.
type ExceptionType string

// The RegRep 4 exception types (rs.xsd, query.xsd).
const (
	RegistryException              ExceptionType = "rs:RegistryExceptionType"
	AuthenticationException        ExceptionType = "rs:AuthenticationExceptionType"
	AuthorizationException         ExceptionType = "rs:AuthorizationExceptionType"
	InvalidRequestException        ExceptionType = "rs:InvalidRequestExceptionType"
	ObjectExistsException          ExceptionType = "rs:ObjectExistsExceptionType"
	ObjectNotFoundException        ExceptionType = "rs:ObjectNotFoundExceptionType"
	QuotaExceededException         ExceptionType = "rs:QuotaExceededExceptionType"
	ReferencesExistException       ExceptionType = "rs:ReferencesExistExceptionType"
	TimeoutException               ExceptionType = "rs:TimeoutExceptionType"
	UnresolvedReferenceException   ExceptionType = "rs:UnresolvedReferenceExceptionType"
	UnsupportedCapabilityException ExceptionType = "rs:UnsupportedCapabilityExceptionType"
	QueryException                 ExceptionType = "query:QueryExceptionType"
)

// Exception is an rs:Exception: a typed error with its own slots.
type Exception struct {
	Type     ExceptionType // xsi:type; "" is written as RegistryException
	Severity string        // @severity; "" means the RegRep default (Error)
	Message  string        // @message
	Detail   string        // @detail
	Code     string        // @code, e.g. "EDM:ERR:0002"
	Slots    []Slot
}

// Error makes an Exception usable as a Go error.
func (x *Exception) Error() string {
	s := string(x.Type)
	if x.Code != "" {
		s += " " + x.Code
	}
	if x.Message != "" {
		s += ": " + x.Message
	}
	if x.Detail != "" {
		s += " (" + x.Detail + ")"
	}
	return s
}

// ReadException reads an rs:Exception element.
func ReadException(e *etree.Element) (Exception, error) {
	if !Is(e, NSRS, "Exception") {
		return Exception{}, FieldErr("rs:Exception", fmt.Errorf("%w: %s", ErrNamespace, Name(e)))
	}
	var x Exception
	xt, ok := AttrNS(e, NSXSI, "type")
	if !ok {
		return Exception{}, FieldErr("rs:Exception/@xsi:type", ErrMissing)
	}
	ns, local, ok := ResolveQName(e, xt)
	switch {
	case ok && ns == NSRS:
		x.Type = ExceptionType(PrefixRS + ":" + local)
	case ok && ns == NSQuery:
		x.Type = ExceptionType(PrefixQuery + ":" + local)
	default:
		return Exception{}, FieldErr("rs:Exception/@xsi:type", fmt.Errorf("%w: %q is not an rs: or query: exception type", ErrWrongType, xt))
	}
	x.Severity, _ = AttrNS(e, "", "severity")
	x.Message, _ = AttrNS(e, "", "message")
	x.Detail, _ = AttrNS(e, "", "detail")
	x.Code, _ = AttrNS(e, "", "code")
	slots, err := ReadSlots(e)
	if err != nil {
		return Exception{}, fmt.Errorf("rs:Exception: %w", err)
	}
	x.Slots = slots
	return x, nil
}

// Build appends x to parent as an rs:Exception element (prefixes rs:, xsi:,
// rim: and, for QueryException, query: must be declared by the root) and
// returns it.
func (x *Exception) Build(parent *etree.Element) *etree.Element {
	e := parent.CreateElement("rs:Exception")
	t := x.Type
	if t == "" {
		t = RegistryException
	}
	e.CreateAttr("xsi:type", string(t))
	if x.Severity != "" {
		e.CreateAttr("severity", x.Severity)
	}
	if x.Message != "" {
		e.CreateAttr("message", x.Message)
	}
	if x.Detail != "" {
		e.CreateAttr("detail", x.Detail)
	}
	if x.Code != "" {
		e.CreateAttr("code", x.Code)
	}
	for _, s := range x.Slots {
		s.Build(e)
	}
	return e
}
