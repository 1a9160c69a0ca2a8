package lifecycle

import (
	"testing"
	"time"
)

// TestSilentProviderTimesOutWithEDMTimeoutCode: a request waiting for the
// provider expires with EDM:ERR:0005; one waiting for the user expires
// without a provider error.
func TestSilentProviderTimesOutWithEDMTimeoutCode(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for state, want := range map[State]string{Sent: TimeoutCode, Approved: TimeoutCode, Ready: "", PreviewRequired: ""} {
		r := Request{ID: "r", State: state, ExpectedBy: now, Sends: 1, ExplicitRequestAt: now.Add(-time.Hour), PreviewLocation: "https://p.example/x"}
		n, _, err := Transition(r, Event{Kind: TimedOut, Deadline: now}, now.Add(time.Second))
		if err != nil {
			t.Fatalf("%s: %v", state, err)
		}
		if n.State != Expired || n.ErrorCode != want {
			t.Errorf("%s timed out to %s with code %q, want expired with %q", state, n.State, n.ErrorCode, want)
		}
	}
}
