package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/client"
)

type fakeDesk struct {
	DeskAPI  // the calls a test does not use
	reqs     map[string]api.Request
	attached *[]string // content types sent
}

func (f fakeDesk) Requests(context.Context) ([]api.Request, error) {
	var out []api.Request
	for _, r := range f.reqs {
		r.Timeline = nil // the list has no timelines
		out = append(out, r)
	}
	return out, nil
}
func (f fakeDesk) Request(_ context.Context, id string) (*api.Request, error) {
	r := f.reqs[id]
	return &r, nil
}
func (f fakeDesk) PostStatusChange(context.Context, string, api.StatusChange) (*api.Request, error) {
	return nil, nil
}
func (f fakeDesk) AttachResult(_ context.Context, id, title, contentType string, _ []byte) (*api.Request, error) {
	*f.attached = append(*f.attached, contentType)
	if id == "open" {
		return nil, &client.APIError{Status: 409, Code: api.CodeConflict, Message: "still under way"}
	}
	return &api.Request{ID: id}, nil
}
func (f fakeDesk) Service(_ context.Context, id string) (*catalogue.Service, error) {
	return &catalogue.Service{ID: id, ProcessingDays: map[string]int{"fast": 2, "slow": 30}[id]}, nil
}

// TestDeskQueueSortsByDueDateAndMarksOverdueAndUnread: due dates come from
// the service's processing time; a decided application is not overdue; one
// whose last step is the clerk's is read.
func TestDeskQueueSortsByDueDateAndMarksOverdueAndUnread(t *testing.T) {
	now := time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)
	started := now.AddDate(0, 0, -5)
	step := func(e string) []api.Step { return []api.Step{{Event: "created"}, {Event: e}} }
	d := NewDesk(fakeDesk{reqs: map[string]api.Request{
		"late":    {ID: "late", ServiceID: "fast", CreatedAt: started, Citizen: "Jānis Bērziņš", Timeline: step("delivered")},
		"decided": {ID: "decided", ServiceID: "fast", CreatedAt: started.Add(time.Hour), Citizen: "Ieva Kalniņa", Timeline: step("application_approved")},
		"later":   {ID: "later", ServiceID: "slow", CreatedAt: started, Citizen: "Ieva Kalniņa", Timeline: step("status_posted")},
	}})
	d.now = func() time.Time { return now }
	q, err := d.Queue(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 3 || q[0].Request.ID != "late" || q[1].Request.ID != "decided" || q[2].Request.ID != "later" {
		t.Fatalf("order %v", q)
	}
	if !q[0].Overdue || q[1].Overdue || q[2].Overdue {
		t.Fatalf("overdue marks: %v %v %v", q[0].Overdue, q[1].Overdue, q[2].Overdue)
	}
	if !q[0].Unread || q[1].Unread || q[2].Unread {
		t.Fatalf("unread marks: %v %v %v", q[0].Unread, q[1].Unread, q[2].Unread)
	}
	if !q[0].Due.Equal(started.AddDate(0, 0, 2)) {
		t.Fatalf("due %v", q[0].Due)
	}
	if q, _ := d.Queue(context.Background(), "kalnina"); len(q) != 2 {
		t.Fatalf("search by citizen (without diacritics): %d", len(q))
	}
}

// TestAttachResultChecksTheDocumentFirst: an empty, oversize, untitled or
// mistyped document gets its own error and is not sent; a PDF is sent as
// application/pdf, whatever its name; the service's 409 becomes
// ErrStillOpen.
func TestAttachResultChecksTheDocumentFirst(t *testing.T) {
	var sent []string
	d := NewDesk(fakeDesk{attached: &sent})
	pdf := []byte("%PDF-1.7\n%%EOF\n")
	for _, c := range []struct {
		name, title string
		data        []byte
		want        error
	}{
		{"empty", "Decision", nil, ErrResultEmpty},
		{"untitled", " ", pdf, ErrResultTitle},
		{"oversize", "Decision", append(append([]byte{}, pdf...), make([]byte, api.MaxResultSize)...), ErrResultTooLarge},
		{"text", "Decision", []byte("Approved."), ErrResultType},
		{"html", "Decision", []byte("<html><body>Approved</body></html>"), ErrResultType},
	} {
		if _, err := d.AttachResult(context.Background(), "done", c.title, c.data); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if p := ProblemOf(c.want); p.Code == "generic" {
			t.Errorf("%s has no sentence of its own", c.name)
		}
	}
	if len(sent) != 0 {
		t.Fatalf("refused documents were sent: %v", sent)
	}
	if _, err := d.AttachResult(context.Background(), "done", "Decision", pdf); err != nil || len(sent) != 1 || sent[0] != "application/pdf" {
		t.Fatalf("a PDF: %v, sent as %v", err, sent)
	}
	if _, err := d.AttachResult(context.Background(), "open", "Decision", pdf); !errors.Is(err, ErrStillOpen) {
		t.Fatalf("the service's 409: %v", err)
	}
}
