package as4

import (
	"errors"
	"fmt"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/wss"
)

func TestMapWSSErrors(t *testing.T) {
	cases := []struct {
		in   error
		want *Error
	}{
		{fmt.Errorf("%w: bad digest", wss.ErrFailedAuthentication), ErrFailedAuthentication},
		{fmt.Errorf("%w: tag mismatch", wss.ErrFailedDecryption), ErrFailedDecryption},
		{fmt.Errorf("%w: no signature", wss.ErrPolicyNoncompliance), ErrPolicyNoncompliance},
	}
	for _, c := range cases {
		got := mapWSS(c.in)
		if !errors.Is(got, c.want) || !errors.Is(got, c.in) {
			t.Errorf("%v mapped to %v, want %s wrapping the cause", c.in, got, c.want.Code)
		}
	}
	other := errors.New("disk full")
	if got := mapWSS(other); errors.Is(got, ErrFailedAuthentication) || !errors.Is(got, other) {
		t.Errorf("plain error mapped to %v", got)
	}
	if mapWSS(nil) != nil {
		t.Error("nil mapped to an error")
	}
}
