package app

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
)

// RequestsAPI is what the app needs of the exchange service for evidence
// requests; *client.Client (with a token) satisfies it.
type RequestsAPI interface {
	CreateRequest(ctx context.Context, in api.NewRequest) (*api.Request, error)
	Requests(ctx context.Context) ([]api.Request, error)
	Request(ctx context.Context, id string) (*api.Request, error)
	GiveAttributes(ctx context.Context, id string, values map[string]string) (*api.Request, error)
	GiveExplicitRequest(ctx context.Context, id string) (*api.Request, error)
	CancelRequest(ctx context.Context, id string) (*api.Request, error)
	RetryRequest(ctx context.Context, id string, values map[string]string) (*api.Request, error)
	ArchiveRequest(ctx context.Context, id string) (*api.Request, error)
	OpenPreview(ctx context.Context, id string) (*api.Request, error)
	DecidePreview(ctx context.Context, id, decision string) (*api.Request, error)
	PreviewReturned(ctx context.Context, id string) (*api.Request, error)
}

// Requests is the view model of the requests screen: the user's evidence
// requests, newest first, and the calls that move one on.
type Requests struct {
	api RequestsAPI
	// mandateRefused, when set, hears that the service refused a mandate
	// the request was made under (the session reloads what it gave).
	mandateRefused func()
	// feedback sends the owner's feedback on a finished application.
	feedback FeedbackAPI
	log      *slog.Logger

	// List holds the requests as api.Request values: the archived ones
	// only when ShowArchived is set; Archived counts those.
	List         binding.UntypedList
	ShowArchived binding.Bool
	Archived     binding.Int
	// Loads counts the times List was set: its listeners hear every
	// change of a request, where those of List hear only a change in the
	// number of requests.
	Loads binding.Int
	// Problem is a translated message when the last call failed, else
	// ""; ProblemCode names its help centre page.
	Problem     binding.String
	ProblemCode binding.String
	// conn hears whether the service answered.
	conn *Connection
	// OnRefresh, when set, runs with the list after every reload or
	// change of it; documents tells whether the person's documents may
	// have changed with it (the session reloads the wallet then).
	OnRefresh func(list []api.Request, documents bool)
	// mandate, when set, gives the mandate new requests are made under.
	mandate func() string
	// signedIn, when set, tells whether there is a person whose requests
	// to load; while there is none, Refresh loads nothing.
	signedIn func() bool

	mu  sync.Mutex
	all []api.Request // as last loaded, archived ones too
	// keys are the keys of Starts that got no answer, by what they asked
	// for (Create).
	keys map[api.NewRequest]string
	// followers are the pages following a request, by its id.
	followers map[string]func(*api.Request)
	// heard are the ids of the requests the event stream said changed
	// and that are not read yet (Heard, ReadHeard).
	heard map[string]bool
}

// Follow hands the request with id to onChange each time the event
// stream says it changed (Changed), until stop is called: a page waiting
// for the provider redraws when its answer comes, without polling.
func (r *Requests) Follow(id string, onChange func(*api.Request)) (stop func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.followers == nil {
		r.followers = map[string]func(*api.Request){}
	}
	r.followers[id] = onChange
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		delete(r.followers, id)
	}
}

// Changed reads request id again and hands it to the page following it,
// if one does (a clerk's application heard of at the desk, or after the
// stream was down: Resync).
func (r *Requests) Changed(ctx context.Context, id string) {
	onChange := r.follower(id)
	if onChange == nil {
		return
	}
	if req, err := r.api.Request(ctx, id); err == nil {
		onChange(req)
	}
}

// follower is the page following request id, nil when none does.
func (r *Requests) follower(id string) func(*api.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.followers[id]
}

// Heard notes that the event stream said the request with id changed;
// ReadHeard reads it.
func (r *Requests) Heard(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.heard == nil {
		r.heard = map[string]bool{}
	}
	r.heard[id] = true
}

// ReadHeard reads each request heard changed (Heard), puts it in the list
// in place of the one shown (a new one at its place by age) and hands it
// to the page following it. A long history is not read again for each
// step of one request. A request the service does not give (no longer the
// person's: a mandate ended) has the whole list read again.
func (r *Requests) ReadHeard(ctx context.Context) {
	r.mu.Lock()
	ids := slices.Collect(maps.Keys(r.heard))
	clear(r.heard)
	r.mu.Unlock()
	var read []*api.Request
	whole := false
	for _, id := range ids {
		req, err := r.api.Request(ctx, id)
		if calledOff(err) {
			return // a sign-out or the end: the list goes with it
		}
		if err != nil || req == nil {
			whole = true
			continue
		}
		read = append(read, req)
	}
	if whole {
		_ = r.Refresh(ctx)
	} else {
		r.put(read...)
	}
	for _, req := range read {
		if onChange := r.follower(req.ID); onChange != nil {
			onChange(req)
		}
	}
}

// put shows reqs in the list, as the list gives them (without their
// timelines): each in place of the one with its id unless that one is
// newer, a new one at its place by age.
func (r *Requests) put(reqs ...*api.Request) {
	if len(reqs) == 0 {
		return
	}
	r.mu.Lock()
	list := slices.Clone(r.all) // the one handed out stays as it was
	documents := false
	for _, req := range reqs {
		in := *req
		in.Timeline = nil
		if i := slices.IndexFunc(list, func(o api.Request) bool { return o.ID == in.ID }); i >= 0 {
			if list[i].UpdatedAt.After(in.UpdatedAt) {
				continue // a reload meanwhile read a later state
			}
			documents = documents || list[i].Archived != in.Archived || !reflect.DeepEqual(list[i].Evidence, in.Evidence)
			list[i] = in
			continue
		}
		documents = documents || len(in.Evidence) > 0
		at, _ := slices.BinarySearchFunc(list, in, newestFirst)
		list = slices.Insert(list, at, in)
	}
	r.all = list
	r.mu.Unlock()
	fyne.DoAndWait(r.publishList)
	if r.OnRefresh != nil {
		r.OnRefresh(list, documents)
	}
}

// newestFirst orders requests as the service lists them: the newest
// first, those made at the same instant by id.
func newestFirst(a, b api.Request) int {
	if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// Resync reloads the list and the requests of the pages following one,
// after the event stream was down: their events may have gone by unheard.
func (r *Requests) Resync(ctx context.Context) {
	if r.Refresh(ctx) != nil {
		return
	}
	r.mu.Lock()
	ids := make([]string, 0, len(r.followers))
	for id := range r.followers {
		ids = append(ids, id)
	}
	r.mu.Unlock()
	for _, id := range ids {
		r.Changed(ctx, id)
	}
}

// publishList shows the loaded requests, without the archived ones unless
// ShowArchived is set; it runs on the UI goroutine.
func (r *Requests) publishList() {
	show, _ := r.ShowArchived.Get()
	r.mu.Lock()
	var items []any
	archived := 0
	for _, req := range r.all {
		if req.Archived {
			archived++
			if !show {
				continue
			}
		}
		items = append(items, req)
	}
	r.mu.Unlock() // the list's listeners may ask (Latest)
	_ = r.List.Set(items)
	_ = r.Archived.Set(archived)
	n, _ := r.Loads.Get()
	_ = r.Loads.Set(n + 1)
}

// Latest is the newest request (archived ones aside) for requirement of
// service and about subject, as subjectOf tells whom a request is about
// (Acting.SubjectOf): a service page says where it stands.
func (r *Requests) Latest(service, requirement, subject string, subjectOf func(*api.Request) string) (api.Request, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, req := range r.all { // newest first
		if req.ServiceID == service && req.Requirement == requirement && !req.Archived && subjectOf(&req) == subject {
			return req, true
		}
	}
	return api.Request{}, false
}

// Forget empties the list and the unanswered Starts' keys (after a
// sign-out); it runs on the UI goroutine.
func (r *Requests) Forget() {
	r.mu.Lock()
	r.all, r.keys = nil, nil
	r.mu.Unlock()
	r.publishList()
}

// Archive puts an ended request away.
func (r *Requests) Archive(ctx context.Context, id string) (*api.Request, error) {
	out, err := r.api.ArchiveRequest(ctx, id)
	return r.after(ctx, out, err)
}

// CanArchive tells whether a request may be archived: it has ended and is
// not archived yet.
func CanArchive(req *api.Request) bool { return ViewOf(req).CanArchive }

// NewRequests returns the view model over a.
func NewRequests(a RequestsAPI, log *slog.Logger) *Requests {
	r := &Requests{api: a, log: log, List: binding.NewUntypedList(), ShowArchived: binding.NewBool(), Archived: binding.NewInt(), Loads: binding.NewInt(),
		Problem: binding.NewString(), ProblemCode: binding.NewString()}
	r.ShowArchived.AddListener(binding.NewDataListener(r.publishList))
	return r
}

// Refresh reloads the list.
func (r *Requests) Refresh(ctx context.Context) error {
	if r.signedIn != nil && !r.signedIn() {
		return nil
	}
	list, err := r.api.Requests(ctx)
	if calledOff(err) {
		return err // the list shown stays, with its problem if any
	}
	r.publish(err)
	r.conn.Report("requests", err, r.reload)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.all = list
	r.mu.Unlock()
	fyne.DoAndWait(r.publishList)
	if r.OnRefresh != nil {
		r.OnRefresh(list, true)
	}
	return nil
}

// reload refreshes the list and the requests of the pages following one
// on its own time (Resync): the Connection's retry once the service is
// back, when their events may have gone by unheard.
func (r *Requests) reload() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r.Resync(ctx)
}

// Create starts a request for one requirement of a service from country.
//
// A Start whose answer did not come (the service unreachable, the person
// stopped waiting, a time-out, a gateway's 5xx) may have made the request
// all the same: the next Start for the same evidence carries the same key
// (api.NewRequest.Key), and the service answers with that request instead
// of making another. Once the service has answered, the key is done with.
func (r *Requests) Create(ctx context.Context, serviceID, requirement, country string) (*api.Request, error) {
	in := api.NewRequest{ServiceID: serviceID, Requirement: requirement, Country: country}
	if r.mandate != nil {
		in.MandateID = r.mandate()
	}
	keyed := in
	keyed.Key = r.key(in)
	out, err := r.api.CreateRequest(ctx, keyed)
	var refused *client.APIError
	if err == nil || errors.As(err, &refused) && refused.Status < 500 {
		r.mu.Lock()
		delete(r.keys, in)
		r.mu.Unlock()
	}
	return r.after(ctx, out, err)
}

// key is the key of a Start for in: the one of an earlier Start that got
// no answer, else a new one.
func (r *Requests) key(in api.NewRequest) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if k, ok := r.keys[in]; ok {
		return k
	}
	if r.keys == nil {
		r.keys = map[api.NewRequest]string{}
	}
	k := rand.Text()
	r.keys[in] = k
	return k
}

// Get fetches one request with its timeline.
func (r *Requests) Get(ctx context.Context, id string) (*api.Request, error) {
	out, err := r.api.Request(ctx, id)
	r.publish(err)
	return out, err
}

// GiveAttributes answers the directory's questions.
func (r *Requests) GiveAttributes(ctx context.Context, id string, values map[string]string) (*api.Request, error) {
	out, err := r.api.GiveAttributes(ctx, id, values)
	return r.after(ctx, out, err)
}

// Retry looks a failed request up again (nothing was sent for it yet),
// with new answers to the directory's questions (nil: the answers given).
func (r *Requests) Retry(ctx context.Context, id string, answers map[string]string) (*api.Request, error) {
	out, err := r.api.RetryRequest(ctx, id, answers)
	return r.after(ctx, out, err)
}

// CanRetry tells whether a request may be looked up again: it failed
// before its explicit request was given, so nothing left for the provider.
func CanRetry(req *api.Request) bool { return ViewOf(req).Step == StepRetry }

// ChoiceLabels are the options a question shows, "CODE — Name" where the
// directory names the value, in the order of q.Values.
func ChoiceLabels(q api.Question) []string {
	out := make([]string, len(q.Values))
	for i, v := range q.Values {
		out[i] = v
		if name := q.Labels[v]; name != "" {
			out[i] = v + " — " + name
		}
	}
	return out
}

// GiveExplicitRequest confirms the request.
func (r *Requests) GiveExplicitRequest(ctx context.Context, id string) (*api.Request, error) {
	out, err := r.api.GiveExplicitRequest(ctx, id)
	return r.after(ctx, out, err)
}

// Cancel withdraws the request.
func (r *Requests) Cancel(ctx context.Context, id string) (*api.Request, error) {
	out, err := r.api.CancelRequest(ctx, id)
	return r.after(ctx, out, err)
}

// OpenPreview fetches the evidence to preview.
func (r *Requests) OpenPreview(ctx context.Context, id string) (*api.Request, error) {
	out, err := r.api.OpenPreview(ctx, id)
	return r.after(ctx, out, err)
}

// Decide approves (approve true) or refuses the previewed evidence.
func (r *Requests) Decide(ctx context.Context, id string, approve bool) (*api.Request, error) {
	decision := "refuse"
	if approve {
		decision = "approve"
	}
	out, err := r.api.DecidePreview(ctx, id, decision)
	return r.after(ctx, out, err)
}

// PreviewReturned tells the service the citizen is back from the
// provider's preview space (api.Request.PreviewURL, opened in the
// browser): the service asks the provider for the evidence they approved.
func (r *Requests) PreviewReturned(ctx context.Context, id string) (*api.Request, error) {
	out, err := r.api.PreviewReturned(ctx, id)
	return r.after(ctx, out, err)
}

// after shows the request a change answered with in the list. A change
// that failed is its caller's to show (the list did not fail); one that
// could not reach the service raises the banner, which reloads the list
// once the service answers again.
func (r *Requests) after(ctx context.Context, out *api.Request, err error) (*api.Request, error) {
	if err != nil {
		if !calledOff(err) {
			r.log.Warn("evidence request call failed", "err", err)
		}
		r.heardRefusal(err)
		r.conn.Report("requests", err, r.reload)
		return nil, err
	}
	if out != nil {
		r.put(out)
	}
	return out, nil
}

// heardRefusal passes on a refusal of a mandate (mandateRefused).
func (r *Requests) heardRefusal(err error) {
	if MandateRefused(err) && r.mandateRefused != nil {
		r.mandateRefused()
	}
}

func (r *Requests) publish(err error) {
	if err != nil {
		r.log.Warn("evidence request call failed", "err", err)
	}
	r.heardRefusal(err)
	p := ProblemOf(err)
	fyne.DoAndWait(func() {
		_ = r.Problem.Set(p.Text)
		_ = r.ProblemCode.Set(p.Code)
	})
}
