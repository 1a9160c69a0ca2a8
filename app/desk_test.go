package app

import (
	"context"
	"errors"
	"slices"
	"strings"
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
	listErr  error     // the answer of Requests, when set
}

func (f fakeDesk) DeskQueue(context.Context) ([]api.Request, error) {
	if f.listErr != nil {
		return nil, f.listErr
	}
	var out []api.Request
	for _, r := range f.reqs {
		r.Timeline = nil // the list has no timelines
		out = append(out, r)
	}
	return out, nil
}
func (f fakeDesk) Trail(context.Context, string) (*api.LedgerTrail, error) {
	return &api.LedgerTrail{}, nil
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

// TestDeskQueueSortsByDueDateAndMarksOverdueAndUnread: the due date is
// the decision date the citizen sees (the evidence's arrival plus the
// processing time); undated applications follow, oldest first; a decided
// application is not overdue; unread is the service's, per clerk.
func TestDeskQueueSortsByDueDateAndMarksOverdueAndUnread(t *testing.T) {
	now := time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)
	started := now.AddDate(0, 0, -5)
	due := func(days int) *time.Time { d := now.AddDate(0, 0, days); return &d }
	d := NewDesk(fakeDesk{reqs: map[string]api.Request{
		"late":     {ID: "late", ServiceID: "fast", CreatedAt: started, DecisionBy: due(-1), Citizen: "Jānis Bērziņš", Unread: true},
		"decided":  {ID: "decided", ServiceID: "fast", CreatedAt: started, DecisionBy: due(-2), Citizen: "Ieva Kalniņa", Decision: api.DecisionApproved},
		"later":    {ID: "later", ServiceID: "slow", CreatedAt: started, DecisionBy: due(20), Citizen: "Ieva Kalniņa"},
		"waiting":  {ID: "waiting", ServiceID: "slow", State: "sent", CreatedAt: started.Add(time.Hour), Citizen: "Jānis Bērziņš", Unread: true},
		"waiting0": {ID: "waiting0", ServiceID: "slow", State: "sent", CreatedAt: started, Citizen: "Jānis Bērziņš", Unread: true},
	}})
	d.now = func() time.Time { return now }
	q, err := d.Queue(context.Background(), "", ShowAll)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, it := range q {
		order = append(order, it.Request.ID)
	}
	if strings.Join(order, ",") != "decided,late,later,waiting0,waiting" {
		t.Fatalf("order %v", order)
	}
	if q[0].Overdue || !q[1].Overdue || q[2].Overdue || q[3].Overdue {
		t.Fatalf("overdue marks: %v %v %v %v", q[0].Overdue, q[1].Overdue, q[2].Overdue, q[3].Overdue)
	}
	if q[0].Unread || !q[1].Unread || q[2].Unread || !q[3].Unread {
		t.Fatalf("unread marks: %v %v %v %v", q[0].Unread, q[1].Unread, q[2].Unread, q[3].Unread)
	}
	if !q[1].Due.Equal(*due(-1)) || !q[3].Due.IsZero() {
		t.Fatalf("due %v, %v", q[1].Due, q[3].Due)
	}
	if q, _ := d.Queue(context.Background(), "kalnina", ShowAll); len(q) != 2 {
		t.Fatalf("search by citizen (without diacritics): %d", len(q))
	}
	for show, want := range map[Show]string{ShowUndecided: "late,later,waiting0,waiting", ShowOverdue: "late", ShowUnread: "late,waiting0,waiting", ShowDecided: "decided"} {
		q, _ := d.Queue(context.Background(), "", show)
		var got []string
		for _, it := range q {
			got = append(got, it.Request.ID)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("showing %s: %v, want %s", show, got, want)
		}
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

// TestApplicationSaysWhatEvidenceItHas: the desk's ask form says which
// evidence an application has, by its request and the applicant's other
// requests for the service: received once one delivered, asked for while
// one goes on, missing when none can bring it.
func TestApplicationSaysWhatEvidenceItHas(t *testing.T) {
	a := &Application{Request: api.Request{Requirement: "birth", State: "ready"}, Related: []api.Request{
		{Requirement: "tax", State: "failed"},
		{Requirement: "school", State: "sent"},
		{Requirement: "school", State: "delivered"},
		{Requirement: "diploma", State: "cancelled"},
	}}
	for requirement, want := range map[string]EvidenceStatus{
		"birth": EvidenceAsked, "tax": EvidenceMissing, "school": EvidenceReceived, "diploma": EvidenceMissing, "residence": EvidenceMissing,
	} {
		if got := a.EvidenceOf(requirement); got != want {
			t.Errorf("%s: %d, want %d", requirement, got, want)
		}
	}
}

// TestApplicationOpensWithoutItsRelated: an application's page lists the
// applicant's other requests for the service from the desk's list; when
// that list cannot be read, the page opens without them rather than not
// at all (the application itself was read).
func TestApplicationOpensWithoutItsRelated(t *testing.T) {
	d := NewDesk(fakeDesk{reqs: map[string]api.Request{"a": {ID: "a", ServiceID: "fast", Citizen: "Jānis Bērziņš"}},
		listErr: &client.APIError{Status: 503, Code: api.CodeUnavailable, Message: "busy"}})
	a, err := d.Application(context.Background(), "a")
	if err != nil || a.Request.ID != "a" || len(a.Related) != 0 {
		t.Fatalf("the application: %+v, %v", a, err)
	}
}

// TestDeskQueueSetsAsideARequestAskedAgain: Mari refused the income
// statement Latvia's tax office previewed and asked Estonia's instead;
// the agency's queue then held the refused request as an undecided
// application, beside the delivered one, with nothing for the clerk to
// do (found by trying the desk). A request that ended without evidence
// and that its applicant asked again for the same service later is
// superseded: listed, but not undecided work. One not asked again, or
// asked again by someone else or for other evidence, still is.
func TestDeskQueueSetsAsideARequestAskedAgain(t *testing.T) {
	t0 := time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)
	d := NewDesk(fakeDesk{reqs: map[string]api.Request{
		"refused":   {ID: "refused", ServiceID: "slow", Requirement: "income", State: "refused", CreatedAt: t0, Citizen: "Mari Tamm"},
		"again":     {ID: "again", ServiceID: "slow", Requirement: "income", State: "delivered", CreatedAt: t0.Add(time.Hour), Citizen: "Mari Tamm"},
		"alone":     {ID: "alone", ServiceID: "slow", Requirement: "income", State: "expired", CreatedAt: t0, Citizen: "Jānis Bērziņš"},
		"other":     {ID: "other", ServiceID: "slow", Requirement: "diploma", State: "sent", CreatedAt: t0.Add(2 * time.Hour), Citizen: "Jānis Bērziņš"},
		"elsewhere": {ID: "elsewhere", ServiceID: "fast", Requirement: "income", State: "sent", CreatedAt: t0.Add(2 * time.Hour), Citizen: "Jānis Bērziņš"},
	}})
	all, err := d.Queue(context.Background(), "", ShowAll)
	if err != nil {
		t.Fatal(err)
	}
	var superseded []string
	for _, it := range all {
		if it.Superseded {
			superseded = append(superseded, it.Request.ID)
		}
	}
	if len(all) != 5 || strings.Join(superseded, ",") != "refused" {
		t.Fatalf("%d listed, superseded %v", len(all), superseded)
	}
	undecided, _ := d.Queue(context.Background(), "", ShowUndecided)
	if slices.ContainsFunc(undecided, func(it DeskItem) bool { return it.Request.ID == "refused" }) || len(undecided) != 4 {
		t.Fatalf("undecided: %v", undecided)
	}
}
