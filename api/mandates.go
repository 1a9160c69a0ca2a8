package api

import "time"

// NewMandate registers who may act for whom: POST /v1/mandates. A person
// gives a mandate for themselves; an administrator may give one for a
// company (Represented set).
type NewMandate struct {
	// Representative is the eIDAS identifier of the person who may act.
	Representative     string `json:"representative"`
	RepresentativeName string `json:"representative_name"`
	// Represented is the person or company acted for; empty means the
	// caller. Only an administrator names someone else (a company).
	Represented     string `json:"represented,omitempty"`
	RepresentedName string `json:"represented_name,omitempty"`
	// Services are the catalogue services the mandate covers; empty for
	// all.
	Services []string `json:"services,omitempty"`
	// ValidFrom is now when zero; ValidUntil is required.
	ValidFrom  time.Time `json:"valid_from,omitzero"`
	ValidUntil time.Time `json:"valid_until"`
}

// Mandate is a registered mandate.
type Mandate struct {
	ID                 string    `json:"id"`
	Representative     string    `json:"representative"`
	RepresentativeName string    `json:"representative_name"`
	Represented        string    `json:"represented"`
	RepresentedName    string    `json:"represented_name"`
	Services           []string  `json:"services,omitempty"`
	ValidFrom          time.Time `json:"valid_from"`
	ValidUntil         time.Time `json:"valid_until"`
	CreatedBy          string    `json:"created_by"`
	// Company is set when Represented is a company (an administrator
	// registered the mandate): requests under it are about the company.
	Company   bool      `json:"company,omitempty"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	// Status is "active", "not_yet_valid", "expired" or "revoked".
	Status string `json:"status"`
}

// MandateList is the answer of GET /v1/mandates: the mandates the caller
// holds (Held) and those given for them (Given).
type MandateList struct {
	Held  []Mandate `json:"held"`
	Given []Mandate `json:"given"`
}
