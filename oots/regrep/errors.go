package regrep

import (
	"errors"
	"fmt"
)

// Sentinel causes wrapped by SlotError and FieldError; test with errors.Is.
var (
	// ErrMissing means a mandatory slot, element or attribute is absent.
	ErrMissing = errors.New("missing")
	// ErrWrongType means a slot value has another xsi:type than required.
	ErrWrongType = errors.New("wrong value type")
	// ErrInvalid means a value is present but not well-formed for its type.
	ErrInvalid = errors.New("invalid value")
	// ErrDuplicate means a slot or element occurs more often than allowed.
	ErrDuplicate = errors.New("duplicate")
	// ErrNamespace means an element is in an unexpected namespace or has an
	// unexpected name.
	ErrNamespace = errors.New("unexpected element")
)

// SlotError reports a problem with the rim:Slot called Slot.
type SlotError struct {
	Slot string // slot name, e.g. "EvidenceRequester"
	Err  error  // cause, usually wrapping one of the sentinel errors
}

// Error reports the slot name and the cause.
func (e *SlotError) Error() string { return fmt.Sprintf("slot %q: %v", e.Slot, e.Err) }

// Unwrap returns the cause.
func (e *SlotError) Unwrap() error { return e.Err }

// FieldError reports a problem with an element or attribute; Field is a
// path such as "rs:Exception/@code" or "sdg:Agent/sdg:Identifier".
type FieldError struct {
	Field string
	Err   error
}

// Error reports the field path and the cause.
func (e *FieldError) Error() string { return fmt.Sprintf("%s: %v", e.Field, e.Err) }

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }

// SlotErr wraps err as a SlotError for slot name.
func SlotErr(name string, err error) error { return &SlotError{Slot: name, Err: err} }

// FieldErr wraps err as a FieldError for field.
func FieldErr(field string, err error) error { return &FieldError{Field: field, Err: err} }
