package lifecycle

import (
	"math/rand/v2"
	"testing"
	"time"
)

// eventFrom turns two bytes into an event, well-formed or not.
func eventFrom(a, b byte, r Request, now time.Time) Event {
	kinds := EventKinds()
	e := Event{Kind: kinds[int(a)%len(kinds)]}
	switch b % 4 {
	case 0:
		e.PreviewLocation = "https://p.example.ee/x"
		e.Code = "EDM:ERR:0004"
		e.AvailableAt = now.Add(time.Hour)
		e.Deadline = r.ExpectedBy
	case 1:
		e.PreviewLocation = "http://bad"
		e.Code = "EDM:ERR:0002"
		e.AvailableAt = now.Add(-time.Hour)
		e.Deadline = now
	case 2:
		e.Kind = EventKind(string(rune(b)))
	}
	return e
}

// checkSequence applies the events encoded in data and checks the
// invariants after each step.
func checkSequence(t *testing.T, data []byte) {
	now := t0
	r, _ := New("fuzz", Timings{}, now)
	for i := 0; i+1 < len(data); i += 2 {
		now = now.Add(time.Duration(data[i+1]) * time.Minute)
		e := eventFrom(data[i], data[i+1], r, now)
		n, fx, err := Transition(r, e, now)
		if !n.State.Valid() {
			t.Fatalf("step %d: %s + %s left the state set: %q", i/2, r.State, e.Kind, n.State)
		}
		if err != nil && (n != r || fx != nil) {
			t.Fatalf("step %d: refused %s changed the request or asked for effects", i/2, e.Kind)
		}
		if r.State.Terminal() && n != r && !(e.Kind == Retry && r.State == Failed && r.Sends == 0) {
			t.Fatalf("step %d: terminal state %s changed by %s to %+v", i/2, r.State, e.Kind, n)
		}
		if n.State.Terminal() != n.ExpectedBy.IsZero() {
			t.Fatalf("step %d: state %s with ExpectedBy %v", i/2, n.State, n.ExpectedBy)
		}
		if n.Sends > 2 {
			t.Fatalf("step %d: %d QueryRequests sent for one request", i/2, n.Sends)
		}
		if n.Sends > 0 && n.ExplicitRequestAt.IsZero() {
			t.Fatalf("step %d: sent without an explicit request", i/2)
		}
		r = n
	}
}

func TestRandomEventSequencesKeepInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		data := make([]byte, 2*(1+rng.IntN(30)))
		for i := range data {
			data[i] = byte(rng.IntN(256))
		}
		checkSequence(t, data)
	}
}

func FuzzTransition(f *testing.F) {
	f.Add([]byte{0, 0, 3, 0, 4, 0, 6, 0, 7, 0, 4, 0, 9, 0})
	f.Add([]byte{1, 0, 2, 0, 12, 0, 11, 0})
	f.Add([]byte{11, 1, 11, 0, 5, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 400 {
			return
		}
		checkSequence(t, data)
	})
}
