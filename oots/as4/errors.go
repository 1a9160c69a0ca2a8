package as4

import (
	"errors"
	"fmt"
)

// Error is an ebMS error (eb:Error), both as a Go error and as the content
// of an error signal. Code is "EBMS:nnnn".
type Error struct {
	Code                string
	Severity            string // "failure" or "warning"
	Category            string // Content, Communication, UnPackaging, Processing
	ShortDescription    string
	Origin              string // ebMS, security, reliability
	Description         string // human-readable, English
	Detail              string // eb:ErrorDetail
	RefToMessageInError string
	err                 error // the cause, not sent on the wire
}

// Error implements error.
func (e *Error) Error() string {
	msg := e.Code + " " + e.ShortDescription
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.RefToMessageInError != "" {
		msg += " (message " + e.RefToMessageInError + ")"
	}
	return msg
}

// Unwrap returns the cause of a locally raised error.
func (e *Error) Unwrap() error { return e.err }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, as4.ErrDecompressionFailure) works on any instance.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && e != nil && t != nil && t.Code == e.Code
}

// Standard ebMS3 and AS4 errors (ebMS3 core 6.7, AS4 profile 5.2). Use
// them with errors.Is, and derive instances with With.
var (
	ErrValueNotRecognized     = stdErr("EBMS:0001", "ValueNotRecognized", "Content", "ebMS")
	ErrFeatureNotSupported    = stdErr("EBMS:0002", "FeatureNotSupported", "Content", "ebMS")
	ErrValueInconsistent      = stdErr("EBMS:0003", "ValueInconsistent", "Content", "ebMS")
	ErrOther                  = stdErr("EBMS:0004", "Other", "Content", "ebMS")
	ErrConnectionFailure      = stdErr("EBMS:0005", "ConnectionFailure", "Communication", "ebMS")
	ErrMimeInconsistency      = stdErr("EBMS:0007", "MimeInconsistency", "UnPackaging", "ebMS")
	ErrInvalidHeader          = stdErr("EBMS:0009", "InvalidHeader", "UnPackaging", "ebMS")
	ErrProcessingModeMismatch = stdErr("EBMS:0010", "ProcessingModeMismatch", "Processing", "ebMS")
	ErrExternalPayloadError   = stdErr("EBMS:0011", "ExternalPayloadError", "Content", "ebMS")
	ErrFailedAuthentication   = stdErr("EBMS:0101", "FailedAuthentication", "Processing", "security")
	ErrFailedDecryption       = stdErr("EBMS:0102", "FailedDecryption", "Processing", "security")
	ErrPolicyNoncompliance    = stdErr("EBMS:0103", "PolicyNoncompliance", "Processing", "security")
	ErrDeliveryFailure        = stdErr("EBMS:0202", "DeliveryFailure", "Communication", "reliability")
	ErrMissingReceipt         = stdErr("EBMS:0301", "MissingReceipt", "Communication", "ebMS")
	ErrInvalidReceipt         = stdErr("EBMS:0302", "InvalidReceipt", "Communication", "ebMS")
	ErrDecompressionFailure   = stdErr("EBMS:0303", "DecompressionFailure", "Communication", "ebMS")
)

func stdErr(code, short, category, origin string) *Error {
	return &Error{Code: code, Severity: "failure", Category: category, ShortDescription: short, Origin: origin}
}

// With returns a copy of e for the message refToMessageID, with the cause
// err (whose text becomes the ErrorDetail).
func (e *Error) With(refToMessageID string, err error) *Error {
	c := *e
	c.RefToMessageInError = refToMessageID
	c.err = err
	if err != nil {
		c.Detail = err.Error()
	}
	return &c
}

// Withf is With with a formatted cause.
func (e *Error) Withf(refToMessageID, format string, args ...any) *Error {
	return e.With(refToMessageID, fmt.Errorf(format, args...))
}

// AsError returns err as an *Error: err itself when it is (or wraps) one,
// otherwise fallback carrying err as its cause.
func AsError(err error, refToMessageID string, fallback *Error) *Error {
	var e *Error
	if errors.As(err, &e) {
		if e.RefToMessageInError == "" && refToMessageID != "" {
			c := *e
			c.RefToMessageInError = refToMessageID
			return &c
		}
		return e
	}
	return fallback.With(refToMessageID, err)
}
