package app

import (
	"errors"
	"fmt"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
)

// TestPairingRefusalsHaveTheirOwnProblem: a code that is no pairing on a
// signed-out device, a pairing on a signed-in one and a link of an
// earlier key each get their own problem (and sentence), not the generic
// one.
func TestPairingRefusalsHaveTheirOwnProblem(t *testing.T) {
	for _, c := range []struct {
		err  error
		code string
	}{
		{ErrNotPairing, "handoff_needs_sign_in"},
		{fmt.Errorf("%w: %w", ErrNotPairing, &client.APIError{Status: 409, Code: api.CodeHandoffNeedsSignIn}), api.CodeHandoffNeedsSignIn},
		{&client.APIError{Status: 409, Code: api.CodeHandoffSignsIn}, api.CodeHandoffSignsIn},
		{&client.APIError{Status: 400, Code: api.CodeHandoffKeyChanged}, api.CodeHandoffKeyChanged},
		{&client.APIError{Status: 429, Code: api.CodeTooManyRequests}, "handoff_too_many"},
		{errors.New("something else"), "generic"},
	} {
		if p := HandoffProblem(c.err); p.Code != c.code || p.Text == "" {
			t.Errorf("%v: problem %+v, want code %s with a sentence", c.err, p, c.code)
		}
	}
}
