package app

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
)

// RolesAPI assigns the clerk and administrator roles; *client.Client
// satisfies it. The service answers 403 to everyone but administrators.
type RolesAPI interface {
	Roles(ctx context.Context) ([]api.RoleAssignment, error)
	AssignRole(ctx context.Context, in api.RoleAssignment) (*api.RoleAssignment, error)
	RemoveRole(ctx context.Context, subject string) error
}

// Admin is the administrator's screen: the roles assigned, and (through
// Mandates) the mandates registered for companies. Allowed is true only
// while the service lets the signed-in person list the roles, so the
// screen is offered to administrators alone.
type Admin struct {
	api RolesAPI

	mu    sync.Mutex
	roles []api.RoleAssignment
	// Allowed is true while the signed-in person is an administrator;
	// Loads counts the loads of the roles (listeners redraw from Roles).
	Allowed binding.Bool
	Loads   binding.Int
	loads   int
}

// NewAdmin returns the screen's model over a.
func NewAdmin(a RolesAPI) *Admin {
	return &Admin{api: a, Allowed: binding.NewBool(), Loads: binding.NewInt()}
}

// Refresh loads the roles; a refusal (403, or nobody signed in) hides the
// screen without being an error.
func (a *Admin) Refresh(ctx context.Context) error {
	roles, err := a.api.Roles(ctx)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && (apiErr.Status == http.StatusForbidden || apiErr.Status == http.StatusUnauthorized) || errors.Is(err, client.ErrSignedOut) {
		a.set(nil, false)
		return nil
	}
	if err != nil {
		return err
	}
	a.set(roles, true)
	return nil
}

// Clear hides the screen (after sign-out).
func (a *Admin) Clear() { a.set(nil, false) }

func (a *Admin) set(roles []api.RoleAssignment, allowed bool) {
	slices.SortFunc(roles, func(x, y api.RoleAssignment) int { return strings.Compare(x.Subject, y.Subject) })
	a.mu.Lock()
	a.roles = roles
	a.loads++
	n := a.loads
	a.mu.Unlock()
	fyne.DoAndWait(func() {
		_ = a.Allowed.Set(allowed)
		_ = a.Loads.Set(n)
	})
}

// Roles returns the roles last loaded, by person.
func (a *Admin) Roles() []api.RoleAssignment {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.roles)
}

// Assign makes subject a clerk of institution (role api.RoleClerk) or an
// administrator, and reloads the roles.
func (a *Admin) Assign(ctx context.Context, subject, role, institution string) error {
	in := api.RoleAssignment{Subject: strings.TrimSpace(subject), Role: role, Institution: strings.TrimSpace(institution)}
	if _, err := a.api.AssignRole(ctx, in); err != nil {
		return err
	}
	return a.Refresh(ctx)
}

// Remove takes subject's assigned role away and reloads the roles.
func (a *Admin) Remove(ctx context.Context, subject string) error {
	if err := a.api.RemoveRole(ctx, subject); err != nil {
		return err
	}
	return a.Refresh(ctx)
}
