package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
)

// DeskAPI is what the clerk's desk needs of the exchange service;
// *client.Client satisfies it.
type DeskAPI interface {
	Requests(ctx context.Context) ([]api.Request, error)
	Request(ctx context.Context, id string) (*api.Request, error)
	PostStatusChange(ctx context.Context, id string, in api.StatusChange) (*api.Request, error)
	Service(ctx context.Context, id string) (*catalogue.Service, error)
}

// DeskItem is one application in the clerk's work queue.
type DeskItem struct {
	Request api.Request
	// Due is when the decision is expected: the application's start plus
	// the service's processing time (P12); zero when the service is unknown.
	Due time.Time
	// Overdue: Due has passed and the application is not decided.
	Overdue bool
	// Unread: something happened since the clerk last answered (the
	// newest step is not a clerk's).
	Unread bool
}

// Desk is the clerk's desk: the work queue of the clerk's institution and
// the actions on one application.
type Desk struct {
	api DeskAPI
	now func() time.Time
}

// NewDesk returns the desk over the exchange service.
func NewDesk(a DeskAPI) *Desk { return &Desk{api: a, now: time.Now} }

// clerkEvents are the timeline events a clerk makes.
var clerkEvents = []string{"status_posted", "application_approved", "application_refused"}

// Queue returns the applications matching text (citizen, service,
// evidence, state; any case), soonest due first, undated last.
func (d *Desk) Queue(ctx context.Context, text string) ([]DeskItem, error) {
	list, err := d.api.Requests(ctx)
	if err != nil {
		return nil, err
	}
	words := catalogue.Query{Text: text}.Words()
	now := d.now()
	days := map[string]int{} // processing days by service, -1 when unknown
	var out []DeskItem
	for _, r := range list {
		hay := catalogue.Fold(strings.Join([]string{r.Citizen, r.ServiceID, r.Requirement, r.State, r.Country}, " "))
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(hay, w) }) {
			it := DeskItem{Request: r}
			n, ok := days[r.ServiceID]
			if !ok {
				n = -1
				if svc, err := d.api.Service(ctx, r.ServiceID); err == nil {
					n = svc.ProcessingDays
				}
				days[r.ServiceID] = n
			}
			if n >= 0 {
				it.Due = r.CreatedAt.AddDate(0, 0, n)
			}
			out = append(out, it)
		}
	}
	slices.SortStableFunc(out, func(a, b DeskItem) int {
		switch {
		case a.Due.IsZero() != b.Due.IsZero():
			if a.Due.IsZero() {
				return 1
			}
			return -1
		}
		return a.Due.Compare(b.Due)
	})
	for i := range out {
		// The list has no timelines: read each to mark what is unread.
		full, err := d.api.Request(ctx, out[i].Request.ID)
		if err != nil {
			return nil, err
		}
		out[i].Overdue = !out[i].Due.IsZero() && now.After(out[i].Due) && !decided(*full)
		if n := len(full.Timeline); n > 0 {
			out[i].Unread = !slices.Contains(clerkEvents, full.Timeline[n-1].Event)
		}
	}
	return out, nil
}

func decided(r api.Request) bool {
	return slices.ContainsFunc(r.Timeline, func(s api.Step) bool {
		return s.Event == "application_approved" || s.Event == "application_refused"
	})
}

// Application reads one application with its evidence and timeline.
func (d *Desk) Application(ctx context.Context, id string) (*api.Request, error) {
	return d.api.Request(ctx, id)
}

// Post posts a status message the citizen sees whole, on the timeline and
// as a notification.
func (d *Desk) Post(ctx context.Context, id, message string) (*api.Request, error) {
	return d.api.PostStatusChange(ctx, id, api.StatusChange{Message: message})
}

// Decide approves or refuses the application, with reasons.
func (d *Desk) Decide(ctx context.Context, id string, approve bool, reasons string) (*api.Request, error) {
	decision := api.DecisionRefused
	if approve {
		decision = api.DecisionApproved
	}
	return d.api.PostStatusChange(ctx, id, api.StatusChange{Message: reasons, Decision: decision})
}
