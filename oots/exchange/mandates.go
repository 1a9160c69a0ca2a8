package exchange

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/oots/requester"
	"github.com/vienreiz/vienreiz/oots/store"
)

// ErrNoSuchMandate: the mandate does not exist or is none of the caller's
// business (404, never 403, which would confirm it exists).
var ErrNoSuchMandate = errors.New("no such mandate")

// maxMandateServices bounds the services one mandate lists.
const maxMandateServices = 50

// GiveMandate registers a mandate: a person for themselves, an
// administrator also for a company.
func (q *Requests) GiveMandate(ctx context.Context, who Principal, in api.NewMandate) (*api.Mandate, error) {
	now := q.now().UTC()
	in.Representative, in.Represented = strings.TrimSpace(in.Representative), strings.TrimSpace(in.Represented)
	self := in.Represented == "" || in.Represented == who.Subject
	if self {
		in.Represented, in.RepresentedName = who.Subject, strings.TrimSpace(who.GivenName+" "+who.FamilyName)
	} else if !who.IsAdministrator() {
		return nil, fmt.Errorf("%w: a person gives mandates for themselves; only an administrator registers one for a company", ErrForbidden)
	}
	if in.ValidFrom.IsZero() {
		in.ValidFrom = now
	}
	switch {
	case !validText(in.Representative, maxSubject) || !validText(in.RepresentativeName, maxSubject):
		return nil, fmt.Errorf("%w: the representative's identifier and name are required", ErrInvalid)
	case in.Representative == in.Represented:
		return nil, fmt.Errorf("%w: nobody needs a mandate for themselves", ErrInvalid)
	case !validText(in.RepresentedName, maxSubject):
		return nil, fmt.Errorf("%w: the represented person's or company's name is required", ErrInvalid)
	case !in.ValidUntil.After(in.ValidFrom) || !in.ValidUntil.After(now):
		return nil, fmt.Errorf("%w: valid_until must be after valid_from and in the future", ErrInvalid)
	case len(in.Services) > maxMandateServices:
		return nil, fmt.Errorf("%w: at most %d services; leave the list empty for all", ErrInvalid, maxMandateServices)
	}
	for _, id := range in.Services {
		if _, err := q.store.Service(ctx, id); err != nil {
			return nil, fmt.Errorf("%w: unknown service %q", ErrInvalid, id)
		}
	}
	m := store.Mandate{
		ID: uuid.NewString(), Representative: in.Representative, RepresentativeName: strings.TrimSpace(in.RepresentativeName),
		Represented: in.Represented, RepresentedName: strings.TrimSpace(in.RepresentedName), Services: slices.Compact(slices.Sorted(slices.Values(in.Services))),
		ValidFrom: in.ValidFrom.UTC(), ValidUntil: in.ValidUntil.UTC(), CreatedBy: who.Subject, CreatedAt: now,
	}
	if self { // the subject of the requests made under it
		m.RepresentedGivenName, m.RepresentedFamilyName, m.RepresentedDateOfBirth = who.GivenName, who.FamilyName, who.DateOfBirth
	}
	if len(m.Services) == 0 {
		m.Services = nil
	}
	scope := "all services"
	if len(m.Services) > 0 {
		scope = strings.Join(m.Services, ", ")
	}
	given := ledger.Record{Actor: who.Subject, OnBehalfOf: m.Represented, Action: "mandate_given",
		What: fmt.Sprintf("%s (%s) may act for %s in %s from %s until %s", m.RepresentativeName, m.Representative, m.RepresentedName,
			scope, m.ValidFrom.Format(ledgerInstant), m.ValidUntil.Format(ledgerInstant))}
	if err := q.store.PutMandate(ctx, m, given); err != nil {
		return nil, err
	}
	q.log.Info("mandate given", "mandate", m.ID, "representative", m.Representative, "represented", m.Represented, "by", who.Subject)
	q.announceMandate(&m, api.EventMandateGiven, now)
	out := mandateView(m, now)
	return &out, nil
}

// announceMandate tells the open apps of m's representative and of the
// person it represents that m was given or revoked (event): whom the one
// may act for, and what the other gave, changed.
func (q *Requests) announceMandate(m *store.Mandate, event string, at time.Time) {
	e := []api.Event{{Event: event, At: at}}
	q.publish([]publication{{Subject: m.Representative, Events: e}, {Subject: m.Represented, Events: e}})
}

// ledgerInstant is how a mandate's record in the ledger states the
// instants it runs from and ends at (UTC): a day alone was the day after
// the last one, or that day, by the time zone.
const ledgerInstant = "2006-01-02 15:04 UTC"

// Mandates lists the mandates who holds, and those given for them or
// registered by them (an administrator's for companies).
func (q *Requests) Mandates(ctx context.Context, who Principal) (*api.MandateList, error) {
	list, err := q.store.MandatesOf(ctx, who.Subject)
	if err != nil {
		return nil, err
	}
	now := q.now().UTC()
	out := &api.MandateList{Held: []api.Mandate{}, Given: []api.Mandate{}}
	for _, m := range list {
		if m.Representative == who.Subject {
			out.Held = append(out.Held, mandateView(m, now))
		} else {
			out.Given = append(out.Given, mandateView(m, now))
		}
	}
	return out, nil
}

// mandatesFor are the active mandates of person (as representative or
// represented) that cover service.
func (q *Requests) mandatesFor(ctx context.Context, person, service string) ([]api.Mandate, error) {
	list, err := q.store.MandatesOf(ctx, person)
	if err != nil {
		return nil, err
	}
	now := q.now().UTC()
	var out []api.Mandate
	for _, m := range list {
		if (m.Representative == person || m.Represented == person) && mandateStatus(m, now) == "active" && (len(m.Services) == 0 || slices.Contains(m.Services, service)) {
			out = append(out, mandateView(m, now))
		}
	}
	return out, nil
}

// RevokeMandate ends a mandate: the represented person, whoever registered
// it, or an administrator may.
func (q *Requests) RevokeMandate(ctx context.Context, who Principal, id string) (*api.Mandate, error) {
	m, err := q.store.Mandate(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && m.Represented != who.Subject && m.CreatedBy != who.Subject && !who.IsAdministrator()) {
		return nil, fmt.Errorf("%w: %s", ErrNoSuchMandate, id)
	}
	if err != nil {
		return nil, err
	}
	now := q.now().UTC()
	if !m.RevokedAt.IsZero() {
		return nil, fmt.Errorf("%w: the mandate is already revoked", errMandateRevoked)
	}
	revoked := ledger.Record{Actor: who.Subject, OnBehalfOf: m.Represented, Action: "mandate_revoked",
		What: fmt.Sprintf("%s (%s) may no longer act for %s", m.RepresentativeName, m.Representative, m.RepresentedName)}
	if err := q.store.RevokeMandate(ctx, id, who.Subject, now, revoked); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("%w: the mandate is already revoked", errMandateRevoked)
		}
		return nil, err
	}
	m.RevokedAt, m.RevokedBy = now, who.Subject
	q.log.Info("mandate revoked", "mandate", id, "by", who.Subject)
	q.announceMandate(m, api.EventMandateRevoked, now)
	out := mandateView(*m, now)
	return &out, nil
}

var errMandateRevoked = errors.New("mandate revoked")

func mandateStatus(m store.Mandate, now time.Time) string {
	switch {
	case !m.RevokedAt.IsZero():
		return "revoked"
	case now.Before(m.ValidFrom):
		return "not_yet_valid"
	case !now.Before(m.ValidUntil):
		return "expired"
	}
	return "active"
}

func mandateView(m store.Mandate, now time.Time) api.Mandate {
	return api.Mandate{
		ID: m.ID, Representative: m.Representative, RepresentativeName: m.RepresentativeName,
		Represented: m.Represented, RepresentedName: m.RepresentedName, Services: m.Services,
		ValidFrom: m.ValidFrom, ValidUntil: m.ValidUntil, CreatedBy: m.CreatedBy, Company: forCompany(m),
		RevokedAt: m.RevokedAt, Status: mandateStatus(m, now),
	}
}

// forCompany reports whether m lets its representative act for a company:
// a person gives a mandate for themselves, and only an administrator
// registers one for someone else, which is a company (GiveMandate).
func forCompany(m store.Mandate) bool { return m.CreatedBy != m.Represented }

// validText reports whether s is 1 to max bytes of valid, printable text.
func validText(s string, max int) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || r == 0xfffd {
			return false
		}
	}
	return true
}

func (a *restAPI) giveMandate(w http.ResponseWriter, r *http.Request, who Principal) {
	var in api.NewMandate
	if !readJSON(w, r, &in) {
		return
	}
	out, err := a.reqs.GiveMandate(r.Context(), who, in)
	a.answer(w, r, http.StatusCreated, out, err)
}

func (a *restAPI) listMandates(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.Mandates(r.Context(), who)
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) revokeMandate(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.RevokeMandate(r.Context(), who, r.PathValue("id"))
	switch {
	case errors.Is(err, ErrNoSuchMandate):
		writeError(w, http.StatusNotFound, api.CodeNotFound, "no such mandate")
	case errors.Is(err, errMandateRevoked):
		writeError(w, http.StatusConflict, api.CodeConflict, err.Error())
	default:
		a.answer(w, r, http.StatusOK, out, err)
	}
}

// MandateRefusedError refuses the use of a mandate that does not stand
// (expired, revoked, not yet valid) or does not cover the service; Code is
// the API's error code.
type MandateRefusedError struct{ Code, Reason string }

func (e *MandateRefusedError) Error() string { return "the mandate cannot be used: " + e.Reason }

// usableMandate returns mandate id when who holds it and it covers
// service now; a mandate of someone else is ErrNoSuchMandate.
func (q *Requests) usableMandate(ctx context.Context, who Principal, id, service string) (*store.Mandate, error) {
	m, err := q.store.Mandate(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && m.Representative != who.Subject) {
		return nil, fmt.Errorf("%w: %s", ErrNoSuchMandate, id)
	}
	if err != nil {
		return nil, err
	}
	switch mandateStatus(*m, q.now().UTC()) {
	case "revoked":
		return nil, &MandateRefusedError{api.CodeMandateRevoked, "it was revoked on " + m.RevokedAt.Format(time.DateOnly)}
	case "expired":
		return nil, &MandateRefusedError{api.CodeMandateExpired, "it ended on " + m.ValidUntil.Format(time.DateOnly)}
	case "not_yet_valid":
		return nil, &MandateRefusedError{api.CodeMandateNotYetValid, "it starts on " + m.ValidFrom.Format(time.DateOnly)}
	}
	if len(m.Services) > 0 && !slices.Contains(m.Services, service) {
		return nil, &MandateRefusedError{api.CodeMandateOutOfScope, "it does not cover the service " + service}
	}
	return m, nil
}

// createUnderMandate makes a request of who for the person who gave who
// the mandate in.MandateID: the request is theirs and names who as its
// representative.
func (q *Requests) createUnderMandate(ctx context.Context, who Principal, svc *catalogue.Service, in api.NewRequest) (*api.Request, error) {
	m, err := q.usableMandate(ctx, who, in.MandateID, svc.ID)
	if err != nil {
		return nil, err
	}
	subject := Principal{Subject: m.Represented, GivenName: m.RepresentedGivenName, FamilyName: m.RepresentedFamilyName,
		DateOfBirth: m.RepresentedDateOfBirth, LevelOfAssurance: who.LevelOfAssurance}
	legalName := ""
	if forCompany(*m) {
		legalName = m.RepresentedName
	}
	if err := checkSubject(svc, in.Requirement, legalName != ""); err != nil {
		return nil, err
	}
	representative := who
	q.log.Info("request under a mandate", "mandate", m.ID, "representative", who.Subject, "represented", m.Represented, "company", legalName != "", "service", svc.ID)
	return q.start(ctx, requestID(who.Subject, in), subject, m.Represented, svc, in, func(doc *requestDoc) (store.TimelineEntry, []ledger.Record) {
		doc.Representative, doc.MandateID, doc.LegalName = &representative, m.ID, legalName
		doc.actedBy = &representative
		return doc.step("created", "by "+doc.representativeName()+" under a mandate"), nil
	})
}

// representativeName is "Name (identifier)" of the representative.
func (doc *requestDoc) representativeName() string {
	r := doc.Representative
	name := strings.TrimSpace(r.GivenName + " " + r.FamilyName)
	if name == "" {
		return r.Subject
	}
	return name + " (" + r.Subject + ")"
}

// showRepresentative names the representative in a view of the request.
func (doc *requestDoc) showRepresentative(v *api.Request) {
	if doc.Representative != nil {
		v.Representative, v.MandateID = doc.representativeName(), doc.MandateID
	}
}

// representativePerson is the AuthorizedRepresentative of the request's
// queries, nil without a mandate.
func (doc *requestDoc) representativePerson() *requester.Person {
	r := doc.Representative
	if r == nil {
		return nil
	}
	return &requester.Person{Identifier: r.Subject, GivenName: r.GivenName, FamilyName: r.FamilyName,
		DateOfBirth: r.DateOfBirth, LevelOfAssurance: r.LevelOfAssurance}
}
