package as4_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
)

// addHook is an outbox that calls after once an entry is added.
type addHook struct {
	as4.Outbox
	after func()
}

func (h *addHook) Add(ctx context.Context, e as4.OutboxEntry) error {
	if err := h.Outbox.Add(ctx, e); err != nil {
		return err
	}
	if h.after != nil {
		h.after()
	}
	return nil
}

// TestResumeDoesNotTakeASendsMessage: the periodic Resume (Run) found a
// message Send had just put into the outbox and began posting it; Send
// then failed with "message is already being sent", and its caller took
// an acknowledged-later message for a queued one
// (TestOnAnswerFailsOnce in oots/requester/demonode failed so in a CI
// run). Send now claims its message before it enters the outbox: Resume
// leaves it, Send posts it, and it is delivered once.
func TestResumeDoesNotTakeASendsMessage(t *testing.T) {
	w := newWorld(t, 1)
	delivering := make(chan struct{}, 4)
	w.deliver = func(context.Context, *as4.Delivery) error {
		delivering <- struct{}{}
		time.Sleep(300 * time.Millisecond) // a receiver that takes its time
		return nil
	}
	ctx := context.Background()
	outbox := &addHook{Outbox: as4.NewMemStore()}
	s := w.sender(outbox, t.TempDir())
	resumed := make(chan error, 1)
	outbox.after = func() {
		outbox.after = nil
		go func() { resumed <- s.Resume(ctx) }()
		// Resume has the message in the air, or has left it.
		select {
		case <-delivering:
		case err := <-resumed:
			resumed <- err
		case <-time.After(10 * time.Second):
			t.Error("Resume neither posted nor returned")
		}
	}
	if _, err := s.Send(ctx, querySubmission(payload("q@lv", as4.MimeEbRS, []byte("<q/>")))); err != nil {
		t.Fatalf("Send while Resume ran: %v", err)
	}
	if err := <-resumed; err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if n := len(w.deliveries()); n != 1 {
		t.Fatalf("delivered %d times, want once", n)
	}
}

// TestSendOfAMessageResumeIsPostingSaysItExists: a kill -9 in the middle
// of an exchange left a request in the outbox; after the restart Resume
// (Run) posted it while the requester, taking up its job again, sent the
// same message. Send failed with "message is already being sent", which
// the requester took for a failure of the request, though the message was
// acknowledged a moment later (TestKill9MidExchangeEveryRequestCompletes
// Once failed so in a CI run). A message that is being sent is in the
// outbox: Send says ErrExists, as for any message the outbox holds, and
// the message is delivered once.
func TestSendOfAMessageResumeIsPostingSaysItExists(t *testing.T) {
	w := newWorld(t, 1)
	posting := make(chan struct{}, 4)
	release := make(chan struct{})
	w.deliver = func(context.Context, *as4.Delivery) error {
		posting <- struct{}{}
		<-release
		return nil
	}
	ctx := context.Background()
	s := w.memSender()
	message := func() *as4.Submission {
		sub := querySubmission(payload("q@lv", as4.MimeEbRS, []byte("<q/>")))
		sub.MessageID = "left-by-a-crash@lv"
		return sub
	}
	if _, err := s.Submit(ctx, message()); err != nil {
		t.Fatal(err)
	}
	resumed := make(chan error, 1)
	go func() { resumed <- s.Resume(ctx) }()
	<-posting
	_, err := s.Send(ctx, message())
	close(release)
	if !errors.Is(err, as4.ErrExists) {
		t.Fatalf("Send of the message Resume is posting: %v, want ErrExists", err)
	}
	if err := <-resumed; err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if n := len(w.deliveries()); n != 1 {
		t.Fatalf("delivered %d times, want once", n)
	}
}
