package app

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
)

// keyedService answers CreateRequest with the next of answers and records
// the keys it was given.
type keyedService struct {
	fakeService
	answers []error
	keys    []string
}

func (k *keyedService) CreateRequest(_ context.Context, in api.NewRequest) (*api.Request, error) {
	k.keys = append(k.keys, in.Key)
	err := k.answers[0]
	k.answers = k.answers[1:]
	if err != nil {
		return nil, err
	}
	return &api.Request{ID: "r-" + in.Key, ServiceID: in.ServiceID, State: "ready"}, nil
}

// TestAStartRepeatedAfterNoAnswerIsTheSameRequest: a Start whose answer
// did not come (the service unreachable, the person stopped waiting, a
// timeout, a 502 from a proxy) is repeated with the same key, so the
// service makes the request once (TestARepeatedStartMakesOneRequest in
// oots/exchange); once the service has answered, made or refused, the
// next Start is a new request with a new key. Another country is
// another request.
func TestAStartRepeatedAfterNoAnswerIsTheSameRequest(t *testing.T) {
	svc := &keyedService{answers: []error{
		fmt.Errorf("post: %w", client.ErrUnavailable),
		context.Canceled,
		context.DeadlineExceeded,
		&client.APIError{Status: 502, Code: "bad_gateway"},
		nil, // made
		nil, // the next Start: a new request
		&client.APIError{Status: 422, Code: api.CodeEvidenceForCompanies},
		nil, // after a refusal: a new key
		nil, // another country
	}}
	r := NewRequests(svc, quiet())
	ctx := context.Background()
	for range 5 {
		_, _ = r.Create(ctx, "lv-birth-certificate", "proof-of-birth", "LV")
	}
	for i, k := range svc.keys[:5] {
		if len(k) < 8 || k != svc.keys[0] {
			t.Fatalf("attempt %d carried key %q, want the first attempt's %q until an answer came", i+1, k, svc.keys[0])
		}
	}
	_, _ = r.Create(ctx, "lv-birth-certificate", "proof-of-birth", "LV")
	_, _ = r.Create(ctx, "lv-birth-certificate", "proof-of-birth", "LV")
	_, _ = r.Create(ctx, "lv-birth-certificate", "proof-of-birth", "LV")
	_, _ = r.Create(ctx, "lv-birth-certificate", "proof-of-birth", "EE")
	seen := map[string]bool{}
	for _, k := range svc.keys[4:] {
		if seen[k] {
			t.Fatalf("keys after answers: %q, each Start after an answer wants a new one", svc.keys[4:])
		}
		seen[k] = true
	}
}

// countedInbox counts the inbox reads.
type countedInbox struct {
	fakeInbox
	reads int
}

func (c *countedInbox) Inbox(ctx context.Context) (*api.Inbox, error) {
	c.reads++
	return c.fakeInbox.Inbox(ctx)
}

// TestADeskEventDoesNotReadTheInbox: a clerk's stream hears of every
// change to the institution's applications (api.Event.Desk); those are
// for the desk, which follows them, and the clerk's own inbox holds
// nothing of them: it is not read again at each (an event of the clerk's
// own request still reads it).
func TestADeskEventDoesNotReadTheInbox(t *testing.T) {
	test.NewTempApp(t)
	svc := &countedInbox{}
	in := NewInbox(svc, quiet())
	in.conn = testConnection(t)
	var heard []string
	in.OnEvent = func(e api.Event) { heard = append(heard, e.RequestID) }
	in.Take(api.Event{RequestID: "company-application", Desk: true})
	if svc.reads != 0 || len(heard) != 1 {
		t.Fatalf("a desk event: %d inbox reads, %d events passed on; want 0 and 1", svc.reads, len(heard))
	}
	in.Take(api.Event{RequestID: "own"})
	if svc.reads != 1 || len(heard) != 2 {
		t.Fatalf("the clerk's own event: %d inbox reads, %d events passed on; want 1 and 2", svc.reads, len(heard))
	}
}
