package exchange

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/store"
)

// IsAdministrator reports whether p administers this service: assigns
// clerk and administrator roles.
func (p Principal) IsAdministrator() bool { return p.Role == RoleAdministrator }

// clerkOf reports whether who is a clerk of the institution that runs the
// service serviceID. A clerk without an institution (the demo tokens'
// clerk) serves every institution; sign-in and role assignment always bind
// one.
func (q *Requests) clerkOf(ctx context.Context, who Principal, serviceID string) bool {
	if !who.IsClerk() {
		return false
	}
	if who.Institution == "" {
		return true
	}
	svc, err := q.store.Service(ctx, serviceID)
	return err == nil && svc.Provider.ID == who.Institution
}

// deskQuery selects what clerk who's list holds: the newest applications
// to their institution's services and every older one in progress or
// delivered that no clerk decided.
func (q *Requests) deskQuery(ctx context.Context, who Principal) (store.DeskQuery, error) {
	dq := store.DeskQuery{Recent: clerkListRecent, Decisions: []string{api.EventApplicationApproved, api.EventApplicationRefused}}
	for _, s := range lifecycle.States() {
		if !s.Terminal() || s == lifecycle.Delivered {
			dq.Awaiting = append(dq.Awaiting, string(s))
		}
	}
	if who.Institution == "" {
		return dq, nil // a clerk of every institution (clerkOf)
	}
	services, err := q.store.ServicesOf(ctx, who.Institution)
	dq.Services = services
	return dq, err
}

// clerksOf is the event group of who's institution's clerks, "" for
// anyone but a clerk: a clerk's event streams hear of every change to the
// institution's applications (save), so the desk follows them.
func clerksOf(who Principal) string {
	if !who.IsClerk() {
		return ""
	}
	return institutionClerks(who.Institution)
}

// institutionClerks is the event group of the clerks of institution; that
// of "" holds the clerks who serve every institution (clerkOf).
func institutionClerks(institution string) string { return "clerks:" + institution }

// withAssignedRole gives who the role an administrator assigned them, if
// any; it takes precedence over the role the identity provider named. The
// role's record takes the name who signed in with, when it changed.
func (q *Requests) withAssignedRole(ctx context.Context, who Principal) (Principal, error) {
	a, err := q.store.Role(ctx, who.Subject)
	if errors.Is(err, store.ErrNotFound) {
		return who, nil
	}
	if err != nil {
		return who, err
	}
	if name := who.Name(); name != "" && name != a.Name {
		if err := q.store.NameRole(ctx, who.Subject, name); err != nil {
			return who, err
		}
	}
	who.Role, who.Institution = a.Role, a.Institution
	return who, nil
}

// Name is the person's name as they signed in; "" where the sign-in
// gave none.
func (p Principal) Name() string { return strings.TrimSpace(p.GivenName + " " + p.FamilyName) }

// ListRoles returns every assigned role; administrators only.
func (q *Requests) ListRoles(ctx context.Context, who Principal) ([]api.RoleAssignment, error) {
	if !who.IsAdministrator() {
		return nil, fmt.Errorf("%w: only an administrator sees roles", ErrForbidden)
	}
	list, err := q.store.Roles(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.RoleAssignment, 0, len(list))
	for _, a := range list {
		out = append(out, api.RoleAssignment{Subject: a.Subject, Role: a.Role, Institution: a.Institution, Name: a.Name, AssignedBy: a.AssignedBy, AssignedAt: a.AssignedAt})
	}
	return out, nil
}

// maxSubject bounds a person identifier, in bytes.
const maxSubject = 256

// AssignRole gives a person the clerk (with institution) or administrator
// role; administrators only.
func (q *Requests) AssignRole(ctx context.Context, who Principal, in api.RoleAssignment) (*api.RoleAssignment, error) {
	if !who.IsAdministrator() {
		return nil, fmt.Errorf("%w: only an administrator assigns roles", ErrForbidden)
	}
	in.Subject, in.Institution = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Institution)
	switch {
	case in.Subject == "" || len(in.Subject) > maxSubject || !utf8.ValidString(in.Subject):
		return nil, fmt.Errorf("%w: subject must be a person identifier of 1 to %d bytes", ErrInvalid, maxSubject)
	case in.Role == api.RoleClerk && (in.Institution == "" || len(in.Institution) > maxSubject):
		return nil, fmt.Errorf("%w: a clerk must be bound to an institution", ErrInvalid)
	case in.Role == api.RoleAdministrator && in.Institution != "":
		return nil, fmt.Errorf("%w: an administrator is bound to no institution", ErrInvalid)
	case in.Role != api.RoleClerk && in.Role != api.RoleAdministrator:
		return nil, fmt.Errorf("%w: role must be %q or %q", ErrInvalid, api.RoleClerk, api.RoleAdministrator)
	case in.Subject == who.Subject && in.Role != api.RoleAdministrator:
		return nil, fmt.Errorf("%w: an administrator cannot take their own role away", ErrInvalid)
	}
	if in.Role == api.RoleClerk {
		if err := q.knownInstitution(ctx, in.Institution); err != nil {
			return nil, err
		}
	}
	a := store.RoleAssignment{Subject: in.Subject, Role: in.Role, Institution: in.Institution, AssignedBy: who.Subject, AssignedAt: q.now().UTC()}
	what := a.Role
	if a.Institution != "" {
		what += " of " + a.Institution
	}
	if err := q.store.PutRole(ctx, a, ledger.Record{Actor: who.Subject, OnBehalfOf: a.Subject, Action: "role_assigned", What: what}); err != nil {
		return nil, err
	}
	q.log.Info("role assigned", "subject", a.Subject, "role", a.Role, "institution", a.Institution, "by", who.Subject)
	return &api.RoleAssignment{Subject: a.Subject, Role: a.Role, Institution: a.Institution, AssignedBy: a.AssignedBy, AssignedAt: a.AssignedAt}, nil
}

// knownInstitution refuses an institution that provides none of the
// catalogue's services: its clerk would have an empty queue (a typo of
// the identifier showed no error).
func (q *Requests) knownInstitution(ctx context.Context, id string) error {
	services, err := q.store.SearchServices(ctx, catalogue.Query{})
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(services, func(s catalogue.Service) bool { return s.Provider.ID == id }) {
		return fmt.Errorf("%w: institution %q provides none of the catalogue's services (GET /v1/services lists them with their providers)", ErrInvalid, id)
	}
	return nil
}

// RemoveRole takes a person's assigned role away; administrators only.
func (q *Requests) RemoveRole(ctx context.Context, who Principal, subject string) error {
	if !who.IsAdministrator() {
		return fmt.Errorf("%w: only an administrator removes roles", ErrForbidden)
	}
	if subject == who.Subject {
		return fmt.Errorf("%w: an administrator cannot take their own role away", ErrInvalid)
	}
	if err := q.store.DeleteRole(ctx, subject, q.now().UTC(), ledger.Record{Actor: who.Subject, OnBehalfOf: subject, Action: "role_removed"}); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%w: %s has no assigned role", ErrNoSuchRole, subject)
		}
		return err
	}
	q.log.Info("role removed", "subject", subject, "by", who.Subject)
	return nil
}

// ErrNoSuchRole: the person has no assigned role to remove.
var ErrNoSuchRole = errors.New("no such role")

func (a *restAPI) listRoles(w http.ResponseWriter, r *http.Request, who Principal) {
	list, err := a.reqs.ListRoles(r.Context(), who)
	a.answer(w, r, http.StatusOK, api.RoleList{Roles: list, Count: len(list)}, err)
}

func (a *restAPI) assignRole(w http.ResponseWriter, r *http.Request, who Principal) {
	if !who.IsAdministrator() { // before reading the body: 403, never 400
		a.answer(w, r, 0, nil, fmt.Errorf("%w: only an administrator assigns roles", ErrForbidden))
		return
	}
	var in api.RoleAssignment
	if !readJSON(w, r, &in) {
		return
	}
	out, err := a.reqs.AssignRole(r.Context(), who, in)
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) removeRole(w http.ResponseWriter, r *http.Request, who Principal) {
	if !who.IsAdministrator() {
		a.answer(w, r, 0, nil, fmt.Errorf("%w: only an administrator removes roles", ErrForbidden))
		return
	}
	var in api.RoleRemoval
	if !readJSON(w, r, &in) {
		return
	}
	err := a.reqs.RemoveRole(r.Context(), who, strings.TrimSpace(in.Subject))
	if errors.Is(err, ErrNoSuchRole) {
		writeError(w, http.StatusNotFound, api.CodeNotFound, err.Error())
		return
	}
	a.answer(w, r, http.StatusOK, in, err)
}

// me answers who the caller is, with the role this service gives them
// (the app shows the clerk's desk by it).
func (a *restAPI) me(w http.ResponseWriter, r *http.Request, who Principal) {
	role := who.Role
	if role == "" {
		role = RoleCitizen
	}
	writeJSON(w, http.StatusOK, api.Me{Subject: who.Subject, GivenName: who.GivenName, FamilyName: who.FamilyName,
		Role: role, Institution: who.Institution, LevelOfAssurance: who.LevelOfAssurance})
}
