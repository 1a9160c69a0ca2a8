package lifecycle

import (
	"errors"
	"fmt"
)

// ErrForbidden is matched (errors.Is) by every TransitionError.
var ErrForbidden = errors.New("forbidden transition")

// ErrBadEvent is matched by errors about an event's own fields.
var ErrBadEvent = errors.New("bad event")

// TransitionError says that an event may not happen in a state.
type TransitionError struct {
	State State
	Event EventKind
	// Reason adds why, when the table alone does not say it.
	Reason string
}

// Error names the state and the event.
func (e *TransitionError) Error() string {
	msg := fmt.Sprintf("lifecycle: event %q is not allowed in state %q", e.Event, e.State)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Is makes errors.Is(err, ErrForbidden) true.
func (e *TransitionError) Is(target error) bool { return target == ErrForbidden }
