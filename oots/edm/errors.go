package edm

import (
	"errors"

	"github.com/vienreiz/vienreiz/oots/regrep"
)

// Errors returned by Parse and Marshal, wrapped with the slot or field they
// concern (as regrep.SlotError or regrep.FieldError); test with errors.Is.
var (
	// ErrVersion means the SpecificationIdentifier is not an EDM version
	// this package reads or writes.
	ErrVersion = errors.New("unsupported EDM version")
	// ErrRoot means the document is not an EDM message: wrong root element
	// or namespace.
	ErrRoot = errors.New("not an EDM message")
	// ErrMissing means a mandatory slot, element or attribute is absent.
	ErrMissing = regrep.ErrMissing
	// ErrInvalid means a value is present but not acceptable.
	ErrInvalid = regrep.ErrInvalid
	// ErrWrongType means a slot value has the wrong xsi:type.
	ErrWrongType = regrep.ErrWrongType
	// ErrDuplicate means something occurs more often than allowed.
	ErrDuplicate = regrep.ErrDuplicate
	// ErrNamespace means an element has an unexpected name or namespace.
	ErrNamespace = regrep.ErrNamespace
)
