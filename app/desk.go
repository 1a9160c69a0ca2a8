package app

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/client"
)

// DeskAPI is what the clerk's desk needs of the exchange service;
// *client.Client satisfies it.
type DeskAPI interface {
	DeskQueue(ctx context.Context) ([]api.Request, error)
	Request(ctx context.Context, id string) (*api.Request, error)
	PostStatusChange(ctx context.Context, id string, in api.StatusChange) (*api.Request, error)
	Service(ctx context.Context, id string) (*catalogue.Service, error)
	EvidenceCountries(ctx context.Context, requirement string) ([]string, error)
	AskEvidence(ctx context.Context, id string, in api.EvidenceAsk) (*api.Request, error)
	AttachResult(ctx context.Context, id, title, contentType string, data []byte) (*api.Request, error)
	Trail(ctx context.Context, id string) (*api.LedgerTrail, error)
}

// Errors of the clerk's actions, each with its own sentence (ProblemOf).
var (
	ErrResultEmpty    = errors.New("the result document is empty")
	ErrResultTooLarge = fmt.Errorf("a result document is at most %d MiB", api.MaxResultSize>>20)
	ErrResultType     = errors.New("a result document is a PDF, PNG or JPEG")
	ErrResultTitle    = errors.New("a result document needs a title")
	// ErrStillOpen: the application's evidence has not come yet, so no
	// result can be attached.
	ErrStillOpen = errors.New("the evidence exchange of the application is still under way")
)

// DeskItem is one application in the clerk's work queue.
type DeskItem struct {
	Request api.Request
	// Due is when the decision is expected (P12): the date the citizen
	// sees too, the evidence's arrival plus the service's processing time
	// in working days; zero while the evidence has not come.
	Due time.Time
	// Overdue: Due has passed and the application is not decided.
	Overdue bool
	// Unread: the application moved on since this clerk last opened it
	// (kept by the service per clerk).
	Unread bool
	// Decided: the clerk approved or refused the application.
	Decided bool
	// Superseded: the request ended without evidence and its applicant
	// asked for the same evidence for the service again later; the later
	// request is the one to work on.
	Superseded bool
	// Service is the catalogue service applied for; nil when unknown.
	Service *catalogue.Service
}

// Desk is the clerk's desk: the work queue of the clerk's institution and
// the actions on one application.
type Desk struct {
	api DeskAPI
	now func() time.Time

	services *ServiceCache

	followers hooks[func(id string)]
}

// Follow has f told of every application the event stream says changed
// (Changed), until stop is called: a clerk's stream hears of all of the
// institution's.
func (d *Desk) Follow(f func(id string)) (stop func()) { return d.followers.add(f) }

// Changed tells the followers that application id changed.
func (d *Desk) Changed(id string) {
	for _, f := range d.followers.all() {
		f(id)
	}
}

// NewDesk returns the desk over the exchange service.
func NewDesk(a DeskAPI) *Desk {
	return &Desk{api: a, now: time.Now, services: NewServiceCache(a.Service)}
}

// Queue returns the applications matching text (citizen, service,
// evidence, state; any case), soonest due first; those whose evidence has
// not come yet (no due date) follow, oldest first.
func (d *Desk) Queue(ctx context.Context, text string, show Show) ([]DeskItem, error) {
	list, err := d.api.DeskQueue(ctx)
	if err != nil {
		return nil, err
	}
	words := catalogue.Query{Text: text}.Words()
	now := d.now()
	asked := lastAsked(list)
	var out []DeskItem
	for _, r := range list {
		svc := d.services.Get(ctx, r.ServiceID)
		// What the row shows is what can be searched for: the service's
		// name (in every language), the applicant, the state as shown.
		fields := []string{r.Citizen, r.ServiceID, r.Requirement, r.State, DeskStateName(ShownState(&r)), r.Country}
		if svc != nil {
			for _, name := range svc.Name {
				fields = append(fields, name)
			}
		}
		hay := catalogue.Fold(strings.Join(fields, " "))
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(hay, w) }) {
			it := DeskItem{Request: r, Service: svc}
			if r.DecisionBy != nil { // the date the citizen sees too
				it.Due = *r.DecisionBy
			}
			out = append(out, it)
		}
	}
	slices.SortStableFunc(out, func(a, b DeskItem) int {
		switch {
		case a.Due.IsZero() && b.Due.IsZero():
			return a.Request.CreatedAt.Compare(b.Request.CreatedAt)
		case a.Due.IsZero() != b.Due.IsZero():
			if a.Due.IsZero() {
				return 1
			}
			return -1
		}
		return a.Due.Compare(b.Due)
	})
	for i := range out {
		it := &out[i]
		it.Decided, it.Unread = it.Request.Decision != "", it.Request.Unread
		it.Superseded = EndedWithoutEvidence(&it.Request) && asked[evidenceAsked(it.Request)].After(it.Request.CreatedAt)
		it.Overdue = !it.Due.IsZero() && now.After(it.Due) && !it.Decided
	}
	return slices.DeleteFunc(out, func(it DeskItem) bool { return !show.holds(it) }), nil
}

// askedKey is a piece of evidence an applicant asked for a service.
type askedKey struct{ citizen, service, requirement string }

func evidenceAsked(r api.Request) askedKey {
	return askedKey{r.Citizen, r.ServiceID, r.Requirement}
}

// lastAsked is when each piece of evidence in list was last asked for.
func lastAsked(list []api.Request) map[askedKey]time.Time {
	out := map[askedKey]time.Time{}
	for _, r := range list {
		if k := evidenceAsked(r); r.CreatedAt.After(out[k]) {
			out[k] = r.CreatedAt
		}
	}
	return out
}

// Show filters the work queue.
type Show string

// The work queue's filters.
const (
	ShowAll       Show = ""
	ShowUndecided Show = "undecided"
	ShowOverdue   Show = "overdue"
	ShowUnread    Show = "unread"
	ShowDecided   Show = "decided"
)

// Shows lists the filters in the order the desk offers them.
func Shows() []Show { return []Show{ShowAll, ShowUndecided, ShowOverdue, ShowUnread, ShowDecided} }

func (s Show) holds(it DeskItem) bool {
	switch s {
	case ShowUndecided:
		return !it.Decided && !it.Superseded
	case ShowOverdue:
		return it.Overdue
	case ShowUnread:
		return it.Unread
	case ShowDecided:
		return it.Decided
	}
	return true
}

// Application is what the desk shows of one application.
type Application struct {
	Request api.Request
	// Service is the catalogue service applied for; nil when unknown.
	Service *catalogue.Service
	// Offered are the other services the delivered evidence serves (the
	// offered step names them by identifier), those the catalogue knows.
	Offered []catalogue.Service
	// Trail is the application's ledger trail, oldest first; nil when it
	// could not be read (TrailErr says why).
	Trail    []api.LedgerEntry
	TrailErr error
	// Related are the applicant's other requests for the same service, in
	// the queue's order: the rest of the evidence of the application.
	Related []api.Request
}

// EvidenceStatus is what an application has of a piece of evidence.
type EvidenceStatus int

const (
	EvidenceMissing  EvidenceStatus = iota // no request of it, or none that can still bring it
	EvidenceAsked                          // a request of it goes on
	EvidenceReceived                       // a request of it delivered
)

// EvidenceOf is what application a has of the evidence of requirement,
// by its request and the applicant's other requests for the service.
func (a *Application) EvidenceOf(requirement string) EvidenceStatus {
	has := EvidenceMissing
	for _, r := range append([]api.Request{a.Request}, a.Related...) {
		switch {
		case r.Requirement != requirement:
		case r.State == "delivered":
			return EvidenceReceived
		case !EndedWithoutEvidence(&r):
			has = EvidenceAsked
		}
	}
	return has
}

// Application reads one application with its evidence and timeline, and
// the service it is for.
func (d *Desk) Application(ctx context.Context, id string) (*Application, error) {
	req, err := d.api.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &Application{Request: *req}
	out.Service = d.services.Get(ctx, req.ServiceID)
	if i := slices.IndexFunc(req.Timeline, func(s api.Step) bool { return s.Event == api.EventOffered }); i >= 0 {
		for _, id := range strings.Split(req.Timeline[i].Detail, ",") {
			if svc := d.services.Get(ctx, id); svc != nil {
				out.Offered = append(out.Offered, *svc)
			}
		}
	}
	if trail, err := d.api.Trail(ctx, id); err == nil {
		out.Trail = trail.Entries
	} else {
		out.TrailErr = err
	}
	list, _ := d.api.DeskQueue(ctx) // unread, the page shows the application alone
	for _, r := range list {
		if r.ID != req.ID && r.ServiceID == req.ServiceID && r.Citizen == req.Citizen {
			out.Related = append(out.Related, r)
		}
	}
	return out, nil
}

// Countries lists the member states evidence for requirement can be asked
// from.
func (d *Desk) Countries(ctx context.Context, requirement string) ([]string, error) {
	return d.api.EvidenceCountries(ctx, requirement)
}

// AskEvidence asks the citizen of application id for the evidence of
// requirement from country, with the clerk's message; it returns the new
// request, which waits for the citizen's explicit request.
func (d *Desk) AskEvidence(ctx context.Context, id, requirement, country, message string) (*api.Request, error) {
	return d.api.AskEvidence(ctx, id, api.EvidenceAsk{Requirement: requirement, Country: country, Message: message})
}

// AttachResult attaches data as the result document of application id,
// after checking what the service would refuse: an empty, oversize or
// untitled document, or one that is not a PDF, PNG or JPEG by its content.
func (d *Desk) AttachResult(ctx context.Context, id, title string, data []byte) (*api.Request, error) {
	media, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	switch {
	case strings.TrimSpace(title) == "":
		return nil, ErrResultTitle
	case len(data) == 0:
		return nil, ErrResultEmpty
	case len(data) > api.MaxResultSize:
		return nil, ErrResultTooLarge
	case !api.ResultType(media):
		return nil, ErrResultType
	}
	out, err := d.api.AttachResult(ctx, id, strings.TrimSpace(title), media, data)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.Status { // the service's own checks, in the desk's words
		case http.StatusConflict:
			return nil, fmt.Errorf("%w: %w", ErrStillOpen, err)
		case http.StatusUnsupportedMediaType:
			return nil, fmt.Errorf("%w: %w", ErrResultType, err)
		case http.StatusRequestEntityTooLarge:
			return nil, fmt.Errorf("%w: %w", ErrResultTooLarge, err)
		}
	}
	return out, err
}

// Post posts a status message the citizen sees whole, on the timeline and
// as a notification.
func (d *Desk) Post(ctx context.Context, id, message string) (*api.Request, error) {
	return d.api.PostStatusChange(ctx, id, api.StatusChange{Message: message})
}

// DecidedAt is when the decision req stands under was taken: the time of
// its last approval or refusal; false while it is undecided.
func DecidedAt(req *api.Request) (time.Time, bool) {
	for i := len(req.Timeline) - 1; i >= 0; i-- {
		if e := req.Timeline[i].Event; e == api.EventApplicationApproved || e == api.EventApplicationRefused {
			return req.Timeline[i].At, true
		}
	}
	return time.Time{}, false
}

// Decide approves or refuses the application, with reasons, in place of
// the decision that stood when the clerk read it (replaces, "" for none):
// one taken meanwhile is not overridden (api.CodeDecidedMeanwhile).
func (d *Desk) Decide(ctx context.Context, id string, approve bool, reasons, replaces string) (*api.Request, error) {
	decision := api.DecisionRefused
	if approve {
		decision = api.DecisionApproved
	}
	return d.api.PostStatusChange(ctx, id, api.StatusChange{Message: reasons, Decision: decision, Replaces: replaces})
}
