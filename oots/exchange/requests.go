package exchange

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/oots/codelist"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/requester"
	"github.com/vienreiz/vienreiz/oots/store"
)

// Errors of the request use cases, mapped to HTTP answers by the API.
var (
	// ErrInvalid: the input names no known service, requirement or country.
	ErrInvalid = errors.New("invalid request")
	// ErrNotYours: the request does not exist or belongs to someone else;
	// the API answers 404 either way, so ids cannot be probed.
	ErrNotYours = errors.New("no such request")
	// ErrForbidden: the caller's role may not do this.
	ErrForbidden = errors.New("not allowed for your role")
)

// Directory is what the exchange needs of the Evidence Broker and the Data
// Service Directory; *commonsvc.Client satisfies it.
type Directory interface {
	EvidenceTypes(ctx context.Context, q commonsvc.EvidenceTypesQuery) ([]commonsvc.Requirement, error)
	DataServices(ctx context.Context, q commonsvc.DataServicesQuery) ([]commonsvc.DataServiceEvidenceType, error)
}

// Requests runs citizens' evidence requests: each change is one
// lifecycle transition, stored with its timeline entry, and then its
// effects are carried out.
type Requests struct {
	store *store.Store
	dir   Directory
	// transport sends QueryRequests over AS4; nil leaves ready requests
	// waiting (the timeline says so).
	transport Transport
	ledger    *ledger.Ledger
	log       *slog.Logger
	now       func() time.Time
	// hub tells the owners' open event streams about every change.
	hub *Hub
	// share tells the other processes on the database (nil: none).
	share *eventShare
	// maxEvidence is RequestsConfig.MaxEvidenceSize.
	maxEvidence int64
	// worker names this process in the job queue; stable across restarts.
	worker string
	// claim takes due jobs from the queue (store.Jobs.Claim).
	claim func(ctx context.Context, worker string, now time.Time, lease time.Duration, max int) (claimed, dead []store.Job, err error)
	// preview reaches the providers' preview spaces.
	preview PreviewSpace
	// previewReturn is RequestsConfig.PreviewReturn without a trailing slash.
	previewReturn string
	// authority is our evidence-requesting authority.
	authority requester.Authority
}

// RequestsConfig is everything the request use cases work with; the
// constructor is the only place that sets a Requests' fields.
type RequestsConfig struct {
	Store     *store.Store
	Directory Directory
	// Transport sends QueryRequests; nil leaves ready requests waiting.
	Transport Transport
	// Preview reaches the providers' preview spaces (https); nil means
	// previews cannot be opened.
	Preview PreviewSpace
	// PreviewReturn is Connection.PreviewReturn: where citizens' browsers
	// come back from a provider's preview space; empty: the service
	// fetches previews itself through Preview.
	PreviewReturn string
	// Requester is our evidence-requesting authority (Connection.Requester).
	Requester requester.Authority
	// Ledger records who did what; nil: one over Store without an anchor
	// file.
	Ledger *ledger.Ledger
	// Worker names this process in the job queue. It should stay the same
	// across restarts (e.g. host and data folder), so a restarted process
	// takes up at once the jobs it held when it stopped; default host/pid.
	Worker string
	// MaxEvidenceSize bounds the documents of one answer in bytes; an
	// answer over it ends its request (CodeEvidenceTooLarge) and the
	// provider gets an ebMS error. 0: only the P-Mode's MaxPayloadSize.
	MaxEvidenceSize int64
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	Log *slog.Logger
	// claim replaces Store.Jobs().Claim when set: a seam for the tests
	// that count the worker's claims.
	claim func(ctx context.Context, worker string, now time.Time, lease time.Duration, max int) (claimed, dead []store.Job, err error)
}

// NewRequests returns the request use cases.
func NewRequests(cfg RequestsConfig) *Requests {
	worker := cfg.Worker
	if worker == "" {
		host, _ := os.Hostname()
		worker = fmt.Sprintf("%s/%d", host, os.Getpid())
	}
	led := cfg.Ledger
	if led == nil {
		led = ledger.New(cfg.Store.Ledger())
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	claim := cfg.claim
	if claim == nil {
		claim = cfg.Store.Jobs().Claim
	}
	q := &Requests{
		store: cfg.Store, dir: cfg.Directory, transport: cfg.Transport,
		preview: cfg.Preview, previewReturn: strings.TrimSuffix(cfg.PreviewReturn, "/"), authority: cfg.Requester,
		worker: worker, ledger: led, log: cfg.Log, now: now,
		hub: NewHub(), maxEvidence: cfg.MaxEvidenceSize, claim: claim,
	}
	if cfg.Store.Shared() {
		q.share = newEventShare(cfg.Store, q.hub, cfg.Log)
	}
	return q
}

// requestDoc is what the store keeps of a request (RequestRecord.Doc),
// in its own versioned shape (requestdoc.go): Facts are what the API
// shows of it, mapped to api.Request in one place (requestFacts.toAPI).
type requestDoc struct {
	// Version is the shape the document was written in (requestDocVersion).
	Version   int               `json:"v"`
	Facts     requestFacts      `json:"facts"`
	Lifecycle lifecycle.Request `json:"lifecycle"`
	// DSD context for asking again after DSD:ERR:0005.
	DSDEvidenceTypeID   string `json:"dsd_evidence_type_id,omitempty"`
	JurisdictionContext string `json:"jurisdiction_context,omitempty"`
	// What the QueryRequest needs: the procedure, the evidence type and
	// the provider's data service as the directory gave them, the person.
	Procedure     string             `json:"procedure"`
	RequirementEN string             `json:"requirement_en"`
	Format        string             `json:"format,omitempty"`
	Titles        []storedText       `json:"titles,omitempty"`
	DataService   *storedDataService `json:"data_service,omitempty"`
	Subject       Principal          `json:"subject"`
	// actedBy is the representative when the change being made is
	// theirs (not stored): its step reaches the owner's inbox from them.
	actedBy *Principal
	// LegalName is set when Subject is a company (its identifier in
	// Subject.Subject): the request is about it, as its LegalPerson.
	LegalName string `json:"legal_name,omitempty"`
	// Representative made the request for Subject under MandateID.
	Representative *Principal `json:"representative,omitempty"`
	MandateID      string     `json:"mandate_id,omitempty"`
	Requester      string     `json:"requester"`
	DecisionURL    string     `json:"decision_url,omitempty"`
	// PreviewAskedBy is the MessageId of our request that the provider
	// first answered with the preview: an answer to it that asks for the
	// same preview again is a repeat (the provider sent it again after a
	// crash), not a citizen who came back before deciding.
	PreviewAskedBy string `json:"preview_asked_by,omitempty"`
}

// Start starts a request of who for the evidence of one requirement of a
// catalogue service, from one country, and runs its directory look-up; it
// tells whether it made a new request: a POST repeated with its key
// answers the request the first one made, and one for evidence under way
// (UnderWayError) the request under way.
func (q *Requests) Start(ctx context.Context, who Principal, in api.NewRequest) (*api.Request, bool, error) {
	if in.Key != "" {
		if !validKey(in.Key) {
			return nil, false, fmt.Errorf("%w: key %q: 8 to 64 letters, digits, - or _", ErrInvalid, in.Key)
		}
		if made, err := q.madeBefore(ctx, who, in); made != nil || err != nil {
			return made, false, err
		}
	}
	v, err := q.create(ctx, who, in)
	var open *UnderWayError
	switch {
	case errors.As(err, &open):
		v, err = q.Get(ctx, who, open.RequestID)
		return v, false, err
	case err != nil && in.Key != "":
		// Two POSTs of the key at once: the other one stored it first.
		if made, merr := q.madeBefore(ctx, who, in); made != nil || errors.Is(merr, ErrKeyReused) {
			return made, false, merr
		}
	}
	return v, err == nil, err
}

// create is Start of a new request.
func (q *Requests) create(ctx context.Context, who Principal, in api.NewRequest) (*api.Request, error) {
	svc, err := q.checkNew(ctx, in)
	if err != nil {
		return nil, err
	}
	if in.MandateID != "" {
		return q.createUnderMandate(ctx, who, svc, in)
	}
	if err := checkSubject(svc, in.Requirement, false); err != nil {
		return nil, err
	}
	return q.start(ctx, requestID(who.Subject, in), who, who.Subject, svc, in, func(doc *requestDoc) (store.TimelineEntry, []ledger.Record) {
		return doc.step("created", ""), nil
	})
}

// start makes request id (requestID) for subject, owned by owner, for
// checked input in of service svc, and runs its directory look-up; first
// gives its first timeline entry and the ledger records stored with it.
func (q *Requests) start(ctx context.Context, id string, subject Principal, owner string, svc *catalogue.Service, in api.NewRequest,
	first func(*requestDoc) (store.TimelineEntry, []ledger.Record)) (*api.Request, error) {
	now := q.now().UTC()
	timings := lifecycle.Defaults()
	timings.ProcessingDays = svc.ProcessingDays
	lc, effects := lifecycle.New(id, timings, now) // the id is the ExchangeId of its messages
	var requirementEN string
	for _, e := range svc.Evidence {
		if e.Requirement == in.Requirement {
			requirementEN = e.Name.In("en")
		}
	}
	doc := &requestDoc{
		Lifecycle: lc, Procedure: svc.Procedure, RequirementEN: requirementEN,
		Subject: subject, Requester: svc.Provider.Name.In("en"),
		Version: requestDocVersion,
		Facts: requestFacts{
			ID: lc.ID, ServiceID: svc.ID, Requirement: in.Requirement, Country: in.Country,
			LegalBasis: svc.LegalBasis.In("en"), CreatedAt: now,
		},
	}
	step, records := first(doc)
	steps, effects, err := q.settle(ctx, doc, step, effects)
	if err != nil {
		return nil, err
	}
	rec := store.RequestRecord{ID: lc.ID, Owner: owner, ServiceID: svc.ID, CreatedAt: now}
	if doc.Representative != nil {
		rec.Representative = doc.Representative.Subject
	}
	fx := storedEffects(subject, doc, effects)
	fx.Ledger = append(fx.Ledger, records...)
	if err := q.save(ctx, &rec, doc, steps, true, fx); err != nil {
		return nil, err
	}
	q.carryOut(ctx, &rec, doc, effects)
	if rec.Version != 1 { // carryOut sent the query: read what it stored
		return q.view(ctx, doc)
	}
	// The timeline is what was just stored: no need to read it back.
	tl := make([]store.TimelineEntry, len(steps))
	for i, st := range steps {
		tl[i] = st.AsStored()
	}
	return q.viewOf(ctx, doc, tl), nil
}

// checkNew returns the catalogue service of a new request, or ErrInvalid
// when the service, the requirement or the country is not one it can be
// made for.
func (q *Requests) checkNew(ctx context.Context, in api.NewRequest) (*catalogue.Service, error) {
	svc, err := q.store.Service(ctx, in.ServiceID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: no service %q", ErrInvalid, in.ServiceID)
	}
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(svc.Evidence, func(e catalogue.Evidence) bool { return e.Requirement == in.Requirement }) {
		return nil, fmt.Errorf("%w: service %s needs no requirement %q", ErrInvalid, svc.ID, in.Requirement)
	}
	if err := (catalogue.Query{Country: in.Country}).Validate(); err != nil || in.Country == "" {
		return nil, fmt.Errorf("%w: country %q is not an ISO 3166 alpha-2 code", ErrInvalid, in.Country)
	}
	known, err := q.store.HasCountry(ctx, in.Country)
	if err != nil {
		return nil, err
	}
	if !known {
		return nil, fmt.Errorf("%w: country %q is not one of the catalogue's countries (GET /v1/facets)", ErrInvalid, in.Country)
	}
	return svc, nil
}

// SubjectRefusedError refuses a request for evidence about another kind
// of subject than the request's: evidence about a company asked for a
// person, or the other way round. The provider would only answer that it
// holds no record of them (EDM:ERR:0004); Code is the API's error code.
type SubjectRefusedError struct{ Code, Evidence string }

func (e *SubjectRefusedError) Error() string {
	if e.Code == api.CodeEvidenceForCompanies {
		return fmt.Sprintf("%q is evidence about a company: ask for it acting for the company, under its mandate", e.Evidence)
	}
	return fmt.Sprintf("%q is evidence about a person: ask for it for yourself, or under the mandate of the person it is about", e.Evidence)
}

// checkSubject refuses a request for the evidence of requirement in svc
// when the evidence is about a company and the request is not (company
// false), or the other way round.
func checkSubject(svc *catalogue.Service, requirement string, company bool) error {
	e, ok := svc.EvidenceOf(requirement)
	if !ok || e.ForCompany() == company {
		return nil
	}
	code := api.CodeEvidenceForPersons
	if e.ForCompany() {
		code = api.CodeEvidenceForCompanies
	}
	return &SubjectRefusedError{Code: code, Evidence: e.Name["en"]}
}

// Get returns one of who's requests with its timeline; a clerk of its
// institution reads it too, with the mandates that apply to it.
func (q *Requests) Get(ctx context.Context, who Principal, id string) (*api.Request, error) {
	rec, doc, err := q.loadAs(ctx, who, id, true)
	if err != nil {
		return nil, err
	}
	if rec.Owner == who.Subject || !q.clerkOf(ctx, who, rec.ServiceID) { // the owner, or their representative
		v, err := q.view(ctx, doc)
		if err == nil {
			markFor(v, who, rec, doc)
		}
		return v, err
	}
	v, err := q.seen(ctx, who, doc)
	if err != nil {
		return nil, err
	}
	v.Mandates, err = q.mandatesFor(ctx, rec.Owner, rec.ServiceID)
	return v, err
}

// clerkListRecent is how many of an institution's newest requests a
// clerk's queue shows whatever they are; older ones show while they await
// a decision.
const clerkListRecent = 200

// List returns who's requests, newest first, without timelines: those
// they made, for themselves or under a mandate for another.
func (q *Requests) List(ctx context.Context, who Principal) ([]api.Request, error) {
	recs, err := q.requestsOf(ctx, who)
	if err != nil {
		return nil, err
	}
	return q.listed(who, recs)
}

// requestsOf returns who's requests, newest first: those they own, and
// those they made for another while the mandate they made them under
// stands, by the rule of loadAs. A representative's copies end with the
// mandate; the represented person keeps the requests.
func (q *Requests) requestsOf(ctx context.Context, who Principal) ([]store.RequestRecord, error) {
	recs, err := q.store.RequestsOf(ctx, who.Subject)
	if err != nil {
		return nil, err
	}
	kept := recs[:0]
	stands := map[[2]string]bool{} // mandate and service → it covers the service now
	for _, rec := range recs {
		if representedBy(&rec, who) {
			doc, err := decodeDoc(&rec)
			if err != nil {
				return nil, err
			}
			key := [2]string{doc.MandateID, rec.ServiceID}
			ok, known := stands[key]
			if !known {
				var refused *MandateRefusedError
				_, err = q.usableMandate(ctx, who, doc.MandateID, rec.ServiceID)
				if err != nil && !errors.As(err, &refused) && !errors.Is(err, ErrNoSuchMandate) {
					return nil, err
				}
				ok = err == nil
				stands[key] = ok
			}
			if !ok {
				continue
			}
		}
		kept = append(kept, rec)
	}
	return kept, nil
}

// representedBy reports whether who made rec for another person.
func representedBy(rec *store.RequestRecord, who Principal) bool {
	return rec.Representative != "" && rec.Representative == who.Subject && rec.Owner != who.Subject
}

// Desk returns the queue of clerk who: their institution's applications
// (deskQuery), newest first, without timelines, each marked unread when
// it moved on since the clerk last opened it.
func (q *Requests) Desk(ctx context.Context, who Principal) ([]api.Request, error) {
	if !who.IsClerk() {
		return nil, fmt.Errorf("%w: only a clerk has a desk", ErrForbidden)
	}
	dq, err := q.deskQuery(ctx, who)
	if err != nil {
		return nil, err
	}
	recs, err := q.store.DeskRequests(ctx, dq)
	if err != nil {
		return nil, err
	}
	list, err := q.listed(who, recs)
	if err != nil {
		return nil, err
	}
	return q.markUnread(ctx, who, list)
}

// listed is recs as who sees them. The records are who's to see: their
// own (RequestsOf) or their institution's (DeskRequests, by the services
// clerkOf counts as theirs).
func (q *Requests) listed(who Principal, recs []store.RequestRecord) ([]api.Request, error) {
	out := make([]api.Request, 0, len(recs))
	for _, rec := range recs {
		doc, err := decodeDoc(&rec)
		if err != nil {
			return nil, err
		}
		v := doc.Facts.toAPI()
		v.Citizen = doc.citizen()
		doc.showRepresentative(&v)
		markFor(&v, who, &rec, doc)
		q.setPreviewURL(&v)
		out = append(out, v)
	}
	return out, nil
}

// markUnread sets Unread on the requests of a clerk's list that moved on
// since the clerk last opened them.
func (q *Requests) markUnread(ctx context.Context, who Principal, list []api.Request) ([]api.Request, error) {
	ids := make([]string, len(list))
	for i, r := range list {
		ids[i] = r.ID
	}
	unseen, err := q.store.Unseen(ctx, who.Subject, ids)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Unread = unseen[list[i].ID]
	}
	return list, nil
}

// markFor sets v.For and v.ForName when who made the request rec for its
// owner under a mandate.
func markFor(v *api.Request, who Principal, rec *store.RequestRecord, doc *requestDoc) {
	v.For, v.ForName = madeFor(who, rec, doc)
}

// madeFor is the owner of rec and their name when who made it for them
// under a mandate, "" and "" otherwise.
func madeFor(who Principal, rec *store.RequestRecord, doc *requestDoc) (id, name string) {
	if representedBy(rec, who) {
		return rec.Owner, cmp.Or(doc.subjectName(), rec.Owner)
	}
	return "", ""
}

// applicant is who acts on rec for its owner: the owner, or for a
// company, whom nobody signs in as, the representative who made it.
func applicant(rec *store.RequestRecord, doc *requestDoc) string {
	if doc.LegalName != "" && rec.Representative != "" {
		return rec.Representative
	}
	return rec.Owner
}

// citizen names the person the request is for, as a clerk's desk shows it.
func (d *requestDoc) citizen() string {
	name := d.subjectName()
	if name == "" {
		return d.Subject.Subject
	}
	return name + " (" + d.Subject.Subject + ")"
}

// subjectName is the name of whom the request is about: the person's, or
// the company's legal name; "" when unknown.
func (d *requestDoc) subjectName() string {
	if d.LegalName != "" {
		return d.LegalName
	}
	return strings.TrimSpace(d.Subject.GivenName + " " + d.Subject.FamilyName)
}

// maxAnswer bounds the answer to one directory question (an address line
// is the longest one expected).
const maxAnswer = 256

// GiveAttributes answers the directory's questions and looks the provider
// up again.
func (q *Requests) GiveAttributes(ctx context.Context, who Principal, id string, in api.Attributes) (*api.Request, error) {
	return q.change(ctx, who, id, lifecycle.Event{Kind: lifecycle.AttributesGiven}, func(doc *requestDoc) error {
		return doc.answer(in)
	})
}

// Retry looks the provider up again for a request whose look-up failed
// (a transient EB/DSD error, or DSD:ERR:0006 after a wrong answer) and
// that sent nothing yet. Values, when given, answer the directory's
// questions again; without them the earlier answers stand.
func (q *Requests) Retry(ctx context.Context, who Principal, id string, in api.Attributes) (*api.Request, error) {
	return q.change(ctx, who, id, lifecycle.Event{Kind: lifecycle.Retry}, func(doc *requestDoc) error {
		if len(in.Values) == 0 {
			return nil
		}
		return doc.answer(in)
	})
}

// answer checks in against the directory's questions (every one answered,
// no others, each answer bounded and one of the offered values) and keeps
// the answers.
func (doc *requestDoc) answer(in api.Attributes) error {
	answers := map[string]string{}
	for name := range in.Values {
		if !slices.ContainsFunc(doc.Facts.Questions, func(q storedQuestion) bool { return q.Name == name }) {
			return fmt.Errorf("%w: %.64q is not a question of this request", ErrInvalid, name)
		}
	}
	for _, question := range doc.Facts.Questions {
		v := strings.TrimSpace(in.Values[question.Name])
		if v == "" {
			return fmt.Errorf("%w: no answer to %q", ErrInvalid, question.Name)
		}
		if len(v) > maxAnswer {
			return fmt.Errorf("%w: the answer to %q is longer than %d bytes", ErrInvalid, question.Name, maxAnswer)
		}
		if err := ledger.CheckField("the answer to "+question.Name, v, false); err != nil {
			return fmt.Errorf("%w: %s", ErrInvalid, strings.TrimPrefix(err.Error(), "ledger: "))
		}
		if len(question.Values) > 0 && !slices.Contains(question.Values, v) {
			return fmt.Errorf("%w: %q is not one of %v", ErrInvalid, v, question.Values)
		}
		answers[question.Name] = v
	}
	doc.Facts.Answers = answers
	return nil
}

// GiveExplicitRequest records that who confirmed who asks what from whom
// on which legal basis.
func (q *Requests) GiveExplicitRequest(ctx context.Context, who Principal, id string) (*api.Request, error) {
	return q.change(ctx, who, id, lifecycle.Event{Kind: lifecycle.ExplicitRequestGiven}, func(doc *requestDoc) error {
		return levelEnough(who, doc.Facts.Provider)
	})
}

// LevelTooLowError refuses a request whose sender signed in below the level
// of assurance the provider needs for the evidence.
type LevelTooLowError struct{ Have, Need string }

func (e *LevelTooLowError) Error() string {
	have := e.Have
	if have == "" {
		have = "none"
	}
	return fmt.Sprintf("this evidence needs sign-in at level of assurance %s; yours is %s: sign in again at %s", e.Need, have, e.Need)
}

// levelEnough checks who's sign-in against the level p needs. The demo
// bearer tokens name no level and are not checked; signed-in people
// always have one (OIDCTokens).
func levelEnough(who Principal, p *storedProvider) error {
	if p == nil || who.LevelOfAssurance == "" || identity.AtLeast(who.LevelOfAssurance, p.LevelOfAssurance) {
		return nil
	}
	return &LevelTooLowError{Have: who.LevelOfAssurance, Need: p.LevelOfAssurance}
}

// Cancel withdraws one of who's open requests.
func (q *Requests) Cancel(ctx context.Context, who Principal, id string) (*api.Request, error) {
	return q.change(ctx, who, id, lifecycle.Event{Kind: lifecycle.Cancel}, nil)
}

// change applies one event to a request of who, after edit (if any) has
// checked the input and adjusted the document, and carries out the
// effects. When an answer from a provider changed the request meanwhile,
// it reads the request again and retries.
func (q *Requests) change(ctx context.Context, who Principal, id string, e lifecycle.Event, edit func(*requestDoc) error) (*api.Request, error) {
	var (
		rec     *store.RequestRecord
		doc     *requestDoc
		effects []lifecycle.Effect
	)
	err := retryOnConflict(func() (err error) {
		if rec, doc, err = q.load(ctx, who, id); err != nil {
			return err
		}
		if edit != nil {
			if err := edit(doc); err != nil {
				return err
			}
		}
		effects, err = q.apply(ctx, who, rec, doc, e, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	q.carryOut(ctx, rec, doc, effects)
	return q.view(ctx, doc)
}

// maxConflictTries bounds how often a change is tried again after someone
// else changed the same request (store.ErrConflict).
const maxConflictTries = 5

// retryOnConflict runs try until it does not fail with store.ErrConflict,
// at most maxConflictTries times; try reads the request afresh each time.
func retryOnConflict(try func() error) error {
	var err error
	for range maxConflictTries {
		if err = try(); !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("%w (gave up after %d tries)", err, maxConflictTries)
}

// apply runs the transition for who, settles what it asks for in memory
// (the directory look-up) and stores the result with its timeline entries,
// its jobs and its ledger records, in one transaction.
func (q *Requests) apply(ctx context.Context, who Principal, rec *store.RequestRecord, doc *requestDoc, e lifecycle.Event, detail string) ([]lifecycle.Effect, error) {
	next, effects, err := lifecycle.Transition(doc.Lifecycle, e, q.now().UTC())
	if err != nil {
		return nil, err
	}
	if next == doc.Lifecycle && len(effects) == 0 {
		return nil, nil // nothing happened (a stale time-out): no timeline entry
	}
	doc.Lifecycle = next
	if r := doc.Representative; r != nil && who.Subject == r.Subject && rec.Owner != who.Subject {
		doc.actedBy = &who
		if detail == "" {
			detail = "by " + doc.representativeName() + " under a mandate"
		}
	}
	steps, effects, err := q.settle(ctx, doc, doc.step(stepOf(e, detail)), effects)
	if err != nil {
		return nil, err
	}
	if err := q.save(ctx, rec, doc, steps, false, storedEffects(who, doc, effects)); err != nil {
		return nil, err
	}
	return effects, nil
}

// stepOf is the timeline event and detail of e; a provider error without
// a sentence shows its code.
func stepOf(e lifecycle.Event, detail string) (string, string) {
	if e.Kind == lifecycle.ProviderError && detail == "" {
		detail = e.Code
	}
	return string(e.Kind), detail
}

// settle runs the directory look-up a change asks for before the change
// is stored, and the transition its answer makes, so the request is kept
// with the outcome (provider found, questions, or the reason it failed)
// and no crash leaves a look-up half done; with delivered evidence it adds
// the offer of the other services it serves. It returns the timeline entries
// from first on and the effects left to store and carry out; the time-outs
// of the steps passed through are dropped, the last step's stands.
func (q *Requests) settle(ctx context.Context, doc *requestDoc, first store.TimelineEntry, effects []lifecycle.Effect) ([]store.TimelineEntry, []lifecycle.Effect, error) {
	steps := []store.TimelineEntry{first}
	for slices.ContainsFunc(effects, isKind(lifecycle.LookUpProvider)) {
		e, detail := q.lookUp(ctx, doc)
		next, more, err := lifecycle.Transition(doc.Lifecycle, e, q.now().UTC())
		if err != nil {
			return nil, nil, err
		}
		doc.Lifecycle = next
		steps = append(steps, doc.step(stepOf(e, detail)))
		effects = slices.DeleteFunc(effects, func(eff lifecycle.Effect) bool {
			return eff.Kind == lifecycle.LookUpProvider || eff.Kind == lifecycle.ScheduleTimeout
		})
		effects = append(effects, more...)
	}
	if slices.ContainsFunc(effects, isKind(lifecycle.StoreEvidence)) {
		if offer, ok := q.offerStep(ctx, doc); ok {
			steps = append(steps, offer)
		}
	}
	return steps, effects, nil
}

func isKind(k lifecycle.EffectKind) func(lifecycle.Effect) bool {
	return func(e lifecycle.Effect) bool { return e.Kind == k }
}

// storedEffects are the effects stored with the change that asks for them:
// time-outs and sends as jobs, and the ledger records of who's action.
func storedEffects(who Principal, doc *requestDoc, effects []lifecycle.Effect) store.Effects {
	fx := store.Effects{Jobs: jobsFor(doc, effects)}
	for _, eff := range effects {
		if eff.Kind == lifecycle.RecordLedger {
			fx.Ledger = append(fx.Ledger, doc.ledgerRecord(actorOf(who, eff.Notice), eff.Notice))
		}
	}
	return fx
}

// actorOf is who did what the ledger action says: the service for what
// happens between the services (a provider's error, a time-out), who for
// the rest.
func actorOf(who Principal, action string) Principal {
	switch lifecycle.EventKind(action) {
	case lifecycle.ProviderError, lifecycle.TimedOut, lifecycle.EvidenceDelivered, lifecycle.QuerySent:
		return serviceActor
	}
	return who
}

// ledgerRecord is the ledger line of who's action on the request.
func (doc *requestDoc) ledgerRecord(who Principal, action string) ledger.Record {
	return ledger.Record{
		Actor: who.Subject, OnBehalfOf: doc.Subject.Subject, Action: action,
		What: doc.Facts.Requirement, LegalBasis: doc.Facts.LegalBasis, RequestID: doc.Facts.ID,
	}
}

// carryOut runs at once the send a change stored as a job, unless another
// worker took it; a failed send is left to the job's retries. Everything
// else a transition asks for was settled before storing (the look-up) or
// stored with it (storedEffects); the owner's event streams heard of it
// from save.
func (q *Requests) carryOut(ctx context.Context, rec *store.RequestRecord, doc *requestDoc, effects []lifecycle.Effect) {
	for _, eff := range effects {
		if eff.Kind != lifecycle.SendQueryRequest {
			continue
		}
		sj := sendJob{Request: doc.Facts.ID, Sends: doc.Lifecycle.Sends, PreviewLocation: eff.PreviewLocation}
		if err := q.runNow(ctx, sendJobID(sj.Request, sj.Sends), func(ctx context.Context) error {
			return q.sendIfDue(ctx, rec, doc, sj)
		}); err != nil {
			q.log.Warn("the request waits for the job worker to send it", "request", sj.Request, "err", err)
		}
	}
}

// lookUp asks the Evidence Broker for the requirement's evidence type in
// the country and the Data Service Directory for its provider, and returns
// the event that answers the request's look-up.
func (q *Requests) lookUp(ctx context.Context, doc *requestDoc) (lifecycle.Event, string) {
	v := &doc.Facts
	reqs, err := q.dir.EvidenceTypes(ctx, commonsvc.EvidenceTypesQuery{RequirementID: v.Requirement, Country: v.Country})
	if err != nil {
		return q.providerError(v.ID, err, "EB:ERR:0001", "the Evidence Broker has no evidence type for this requirement in "+v.Country)
	}
	var types []commonsvc.EvidenceType
	for _, r := range reqs {
		types = append(types, r.EvidenceTypes()...)
	}
	if len(types) == 0 {
		return lifecycle.Event{Kind: lifecycle.ProviderError, Code: "EB:ERR:0001"}, "the Evidence Broker knows no evidence type for this requirement in " + v.Country
	}
	et := types[0]
	v.EvidenceType = &storedEvidenceType{Classification: et.Classification, Title: textMap(et.Titles)}
	doc.Titles = storedTexts(et.Titles)
	if len(et.Distributions) > 0 {
		doc.Format = et.Distributions[0].Format
	}
	dq := commonsvc.DataServicesQuery{
		Classification: et.Classification, Country: v.Country,
		EvidenceTypeID: doc.DSDEvidenceTypeID, JurisdictionContext: doc.JurisdictionContext,
		Classifications: map[string]string{},
	}
	for name, value := range v.Answers {
		switch name {
		case commonsvc.ParamAdminLevel2:
			dq.AdminLevel2 = value
		case commonsvc.ParamAdminLevel3:
			dq.AdminLevel3 = value
		default:
			dq.Classifications[name] = value
		}
	}
	services, err := q.dir.DataServices(ctx, dq)
	var ask *commonsvc.AttributesRequiredError
	if errors.As(err, &ask) {
		v.Questions = questions(doc, ask)
		return lifecycle.Event{Kind: lifecycle.AttributesNeeded}, ""
	}
	if err != nil {
		return q.providerError(v.ID, err, "DSD:ERR:0001", "the Data Service Directory names no provider of this evidence in "+v.Country)
	}
	for _, t := range services {
		for _, s := range t.Services {
			doc.DSDEvidenceTypeID = t.ID
			doc.DataService = storedDataServiceOf(s)
			if len(t.Distributions) > 0 {
				doc.Format = t.Distributions[0].Format
			}
			v.Provider = &storedProvider{
				ID: s.Provider.ID.URN(), Name: s.Provider.Names.Get("EN"), Names: textMap(s.Provider.Names),
				PartyID: s.PartyID.URN(), EDMVersion: s.EDMVersion, LevelOfAssurance: t.LevelOfAssurance,
			}
			v.Questions = nil
			return lifecycle.Event{Kind: lifecycle.ProviderFound}, v.Provider.Name
		}
	}
	return lifecycle.Event{Kind: lifecycle.ProviderError, Code: "DSD:ERR:0002"}, "the Data Service Directory names no provider"
}

// questions turns a DSD:ERR:0005 answer into the questions for the user.
func questions(doc *requestDoc, ask *commonsvc.AttributesRequiredError) []storedQuestion {
	var out []storedQuestion
	for _, r := range ask.Requests {
		if r.EvidenceType != nil {
			doc.DSDEvidenceTypeID = r.EvidenceType.ID
		}
		if j := r.Jurisdiction; j != nil {
			doc.JurisdictionContext = j.ContextID
			values, labels := regions(doc.Facts.Country, j.Level)
			texts := textMap(j.Contexts)
			for l, t := range texts {
				texts[l] = t + " (" + j.Level + ")"
			}
			out = append(out, storedQuestion{Name: j.Param(), Description: j.Contexts.Get("EN") + " (" + j.Level + ")", Descriptions: texts, Values: values, Labels: labels})
		}
		for _, c := range r.Classifications {
			texts := textMap(c.Descriptions)
			out = append(out, storedQuestion{Name: c.ID, Description: c.Descriptions.Get("EN"), Descriptions: texts, Values: c.SupportedValues})
		}
	}
	return out
}

// nutsLengths is the length of a NUTS code at each level ("DE3" is NUTS1).
var nutsLengths = map[string]int{commonsvc.JurisdictionNUTS1: 3, commonsvc.JurisdictionNUTS2: 4, commonsvc.JurisdictionNUTS3: 5}

// regions are the NUTS codes of country at level, with their names, from
// the official NUTS code list: the answers a jurisdiction question
// accepts. Other levels (LAU) give none: the answer is free.
func regions(country, level string) ([]string, map[string]string) {
	n := nutsLengths[level]
	if n == 0 {
		return nil, nil
	}
	if country == "GR" {
		country = "EL" // NUTS names Greece EL
	}
	list := codelist.NUTS()
	var values []string
	labels := map[string]string{}
	for _, code := range list.Codes() {
		name := list.Column(code, "name")
		if len(code) != n || !strings.HasPrefix(code, country) || strings.HasPrefix(strings.ToLower(name), "extra-regio") {
			continue
		}
		values = append(values, code)
		labels[code] = name
	}
	return values, labels
}

// providerError turns a failed look-up into the event that fails the
// request, with a sentence for the citizen; the technical error is logged.
func (q *Requests) providerError(id string, err error, fallback, sentence string) (lifecycle.Event, string) {
	code := string(commonsvc.CodeOf(err))
	if code == "" {
		code = fallback
		sentence = "the directory could not be asked"
	}
	q.log.Warn("directory look-up failed", "request", id, "code", code, "err", err)
	return lifecycle.Event{Kind: lifecycle.ProviderError, Code: code}, sentence
}

// load reads a request of who; someone else's request is ErrNotYours.
func (q *Requests) load(ctx context.Context, who Principal, id string) (*store.RequestRecord, *requestDoc, error) {
	return q.loadAs(ctx, who, id, false)
}

// loadAs is load that, with clerkMayRead, also lets a clerk have any
// request; a missing or forbidden request is ErrNotYours either way.
func (q *Requests) loadAs(ctx context.Context, who Principal, id string, clerkMayRead bool) (*store.RequestRecord, *requestDoc, error) {
	rec, doc, err := q.loadAny(ctx, id)
	representing := err == nil && representedBy(rec, who)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.Owner != who.Subject && !representing && !(clerkMayRead && q.clerkOf(ctx, who, rec.ServiceID))) {
		return nil, nil, fmt.Errorf("%w: %s", ErrNotYours, id)
	}
	if representing {
		// The representative acts while the mandate stands.
		if _, err := q.usableMandate(ctx, who, doc.MandateID, rec.ServiceID); err != nil {
			return nil, nil, err
		}
	}
	return rec, doc, err
}

// loadAny reads a request whoever owns it, for the service's own work.
func (q *Requests) loadAny(ctx context.Context, id string) (*store.RequestRecord, *requestDoc, error) {
	rec, err := q.store.Request(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	doc, err := decodeDoc(rec)
	if err != nil {
		return nil, nil, err
	}
	return rec, doc, nil
}

// decodeDoc reads the request document a record holds.
func decodeDoc(rec *store.RequestRecord) (*requestDoc, error) {
	doc, err := readRequestDoc(rec.Doc)
	if err != nil {
		return nil, fmt.Errorf("request %s is unreadable: %w", rec.ID, err)
	}
	return doc, nil
}

// save writes the document with its new timeline entries, and the jobs
// and ledger records of the change; create makes the record, otherwise
// the stored version must not have moved. The steps the owner should hear
// of go to their inbox in the same transaction, and their event streams
// hear of the steps together.
func (q *Requests) save(ctx context.Context, rec *store.RequestRecord, doc *requestDoc, steps []store.TimelineEntry, create bool, fx store.Effects) error {
	if err := doc.encode(rec); err != nil {
		return err
	}
	fx.Inbox = append(fx.Inbox, q.inboxItems(ctx, rec, doc, steps)...)
	if create {
		if err := q.store.CreateRequest(ctx, *rec, steps, fx); err != nil {
			return q.underWayOf(ctx, rec.OpenKey, err)
		}
		rec.Version = 1
	} else {
		if err := q.store.UpdateRequest(ctx, *rec, steps, fx); err != nil {
			return q.underWayOf(ctx, rec.OpenKey, err)
		}
		rec.Version++
	}
	events := make([]api.Event, len(steps))
	for i, st := range steps {
		events[i] = api.Event{RequestID: rec.ID, Event: st.Event, State: st.State, At: st.At, Detail: st.Detail}
		if api.ByClerk(st.Event) {
			events[i].From = q.institution(ctx, rec.ServiceID)
		}
	}
	q.publish(q.publications(ctx, rec, events))
	return nil
}

// publications are the events of a change of rec for the streams of its
// owner, of its representative (who acts on it follows it too) and, while
// any clerk may have one open, of the clerks of the service's institution
// at their desks.
func (q *Requests) publications(ctx context.Context, rec *store.RequestRecord, events []api.Event) []publication {
	pubs := []publication{{Subject: rec.Owner, Events: events}}
	if rec.Representative != "" && rec.Representative != rec.Owner {
		pubs = append(pubs, publication{Subject: rec.Representative, Events: events})
	}
	if q.share == nil && !q.hub.HasGroups() { // another process's clerks may have
		return pubs
	}
	desk := make([]api.Event, len(events))
	for i, e := range events {
		e.Desk = true
		desk[i] = e
	}
	if inst := q.institution(ctx, rec.ServiceID); inst != nil {
		pubs = append(pubs, publication{Group: institutionClerks(inst.ID), Events: desk})
	}
	return append(pubs, publication{Group: institutionClerks(""), Events: desk})
}

// publish publishes pubs on this process's streams and, in a scale-out,
// on the other processes'.
func (q *Requests) publish(pubs []publication) {
	for _, p := range pubs {
		p.publishOn(q.hub)
	}
	if q.share != nil {
		q.share.add(pubs)
	}
}

// institution is the authority that runs service id, whose clerks work
// on its applications (clerkOf); nil when the catalogue lost the service.
func (q *Requests) institution(ctx context.Context, serviceID string) *catalogue.Provider {
	svc, err := q.store.Service(ctx, serviceID)
	if err != nil {
		q.log.Warn("the institution of a service is unknown", "service", serviceID, "err", err)
		return nil
	}
	return &svc.Provider
}

// step brings the view up to the lifecycle as it stands and returns the
// timeline entry of event.
func (doc *requestDoc) step(event, detail string) store.TimelineEntry {
	lc := doc.Lifecycle
	v := &doc.Facts
	v.State, v.ErrorCode, v.PreviewLocation, v.UpdatedAt = string(lc.State), lc.ErrorCode, lc.PreviewLocation, lc.UpdatedAt
	v.ExpectedBy, v.DecisionBy = timePtr(lc.ExpectedBy), timePtr(lc.DecisionBy)
	switch {
	case lc.ErrorCode == "":
		v.Problem = "" // a retried look-up leaves its failure behind
	case detail != "":
		v.Problem = detail
	}
	return store.TimelineEntry{At: lc.UpdatedAt, Event: event, State: v.State, Detail: detail, ExpectedBy: lc.ExpectedBy}
}

// note is the timeline entry of a step that changes nothing of the
// lifecycle (a clerk's), at the time it really happened.
func (doc *requestDoc) note(event, detail string, at time.Time) store.TimelineEntry {
	return store.TimelineEntry{At: at, Event: event, State: doc.Facts.State, Detail: detail, ExpectedBy: doc.Lifecycle.ExpectedBy}
}

// encode puts the document into rec for storing.
func (doc *requestDoc) encode(rec *store.RequestRecord) error {
	doc.Version = requestDocVersion
	body, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	rec.State, rec.Doc, rec.UpdatedAt = doc.Facts.State, body, doc.Lifecycle.UpdatedAt
	rec.OpenKey = doc.openKey(rec.Owner)
	return nil
}

// view is the API's picture of the request, with its timeline.
func (q *Requests) view(ctx context.Context, doc *requestDoc) (*api.Request, error) {
	tl, err := q.store.Timeline(ctx, doc.Facts.ID)
	if err != nil {
		return nil, err
	}
	return q.viewOf(ctx, doc, tl), nil
}

// viewOf is the API's picture of the request with its timeline tl, as
// stored.
func (q *Requests) viewOf(ctx context.Context, doc *requestDoc, tl []store.TimelineEntry) *api.Request {
	v := doc.Facts.toAPI()
	v.Citizen = doc.citizen()
	doc.showRepresentative(&v)
	q.setPreviewURL(&v)
	var from *catalogue.Provider
	for _, e := range tl {
		step := api.Step{At: e.At, Event: e.Event, State: e.State, Detail: e.Detail, ExpectedBy: timePtr(e.ExpectedBy)}
		if api.ByClerk(e.Event) {
			if from == nil {
				from = q.institution(ctx, v.ServiceID)
			}
			step.From = from
		}
		v.Timeline = append(v.Timeline, step)
	}
	return &v
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func textMap(ts commonsvc.Texts) map[string]string {
	m := map[string]string{}
	for _, t := range ts {
		m[strings.ToUpper(t.Lang)] = t.Value
	}
	return m
}
