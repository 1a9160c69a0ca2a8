package app

import (
	"context"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
)

type fakeDesk struct{ reqs map[string]api.Request }

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
