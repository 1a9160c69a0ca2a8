package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app/signin"
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

// unreachableFlow is a sign-in flow whose provider is out of reach for
// the first calls of Resume, then refuses the kept session.
type unreachableFlow struct {
	SignInFlow
	mu     sync.Mutex
	calls  int
	outage int // Resume calls that find the provider out of reach
}

func (f *unreachableFlow) Resume(context.Context) (*signin.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.calls <= f.outage {
		return nil, fmt.Errorf("%w: dial tcp: connection refused", signin.ErrProviderUnavailable)
	}
	return nil, signin.ErrNoSession
}

// TestResumeWaitsOutAProviderOutage: an app started offline found the
// sign-in provider out of reach, took the kept session for ended and
// showed the person signed out for the whole run (found stopping the
// provider under a signed-in phone). Resume tries again, less and less
// often, until the provider answers; only its answer decides.
func TestResumeWaitsOutAProviderOutage(t *testing.T) {
	flow := &unreachableFlow{outage: 3}
	a := NewAccount(flow, quiet())
	a.resumeWait = time.Millisecond
	if a.Resume(context.Background()) {
		t.Fatal("resumed a session the provider refused")
	}
	if flow.calls != 4 {
		t.Fatalf("Resume asked the provider %d times, want 4 (three out of reach, then its answer)", flow.calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	flow.calls, flow.outage = 0, 100
	if a.Resume(ctx) || flow.calls != 1 {
		t.Fatalf("an app closing during the outage: asked %d times", flow.calls)
	}
}
