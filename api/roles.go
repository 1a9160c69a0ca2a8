package api

import "time"

// Roles an administrator assigns (principle P9).
const (
	RoleClerk         = "clerk"
	RoleAdministrator = "administrator"
)

// RoleAssignment gives a person a role: POST /v1/admin/roles, and one entry
// of GET /v1/admin/roles.
type RoleAssignment struct {
	// Subject is the person's eIDAS identifier, e.g. LV/LV/23038811111.
	Subject string `json:"subject"`
	// Role is "clerk" or "administrator".
	Role string `json:"role"`
	// Institution is the authority a clerk works for; required for clerks.
	Institution string `json:"institution,omitempty"`
	// Name is the person's name as they last signed in, set by the
	// service (empty until their first call with the role).
	Name string `json:"name,omitempty"`
	// AssignedBy and AssignedAt are set by the service.
	AssignedBy string    `json:"assigned_by,omitempty"`
	AssignedAt time.Time `json:"assigned_at,omitzero"`
}

// RoleList is the answer of GET /v1/admin/roles.
type RoleList struct {
	Roles []RoleAssignment `json:"roles"`
	Count int              `json:"count"`
}

// RoleRemoval takes a person's assigned role away: POST
// /v1/admin/roles/remove.
type RoleRemoval struct {
	Subject string `json:"subject"`
}

// Me is the answer of GET /v1/me: who the caller is to this service, with
// the role it gives them (one an administrator assigned first, else the
// one their sign-in named).
type Me struct {
	// Subject is the person's eIDAS identifier.
	Subject    string `json:"subject"`
	GivenName  string `json:"given_name,omitempty"`
	FamilyName string `json:"family_name,omitempty"`
	// Role is "citizen", "clerk" or "administrator".
	Role string `json:"role"`
	// Institution is the authority a clerk works for.
	Institution string `json:"institution,omitempty"`
	// LevelOfAssurance is the sign-in's level (Low, Substantial, High).
	LevelOfAssurance string `json:"level_of_assurance,omitempty"`
}
