package exchange

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
)

// requestDocVersion is the shape of the stored request document this
// program writes. Version 1 (no "v") kept the API's api.Request itself
// under "view"; version 2 keeps requestFacts under "facts".
const requestDocVersion = 2

// requestFacts is what the store keeps of a request for the API: the
// exchange service's own type, so the wire type can change without
// changing what is stored. Its JSON names are those version 1 stored.
type requestFacts struct {
	ID              string            `json:"id"`
	ServiceID       string            `json:"service_id"`
	Requirement     string            `json:"requirement"`
	Country         string            `json:"country"`
	State           string            `json:"state"`
	ExpectedBy      *time.Time        `json:"expected_by,omitempty"`
	DecisionBy      *time.Time        `json:"decision_by,omitempty"`
	ErrorCode       string            `json:"error_code,omitempty"`
	Problem         string            `json:"problem,omitempty"`
	PreviewLocation string            `json:"preview_location,omitempty"`
	EvidenceType    *api.EvidenceType `json:"evidence_type,omitempty"`
	Provider        *api.Provider     `json:"provider,omitempty"`
	Questions       []api.Question    `json:"questions,omitempty"`
	Answers         map[string]string `json:"answers,omitempty"`
	LegalBasis      string            `json:"legal_basis"`
	Archived        bool              `json:"archived,omitempty"`
	FeedbackRating  int               `json:"feedback_rating,omitempty"`
	// AskedBy and ForApplication: the institution whose clerk asked for
	// this evidence, for which application.
	AskedBy        *catalogue.Provider `json:"asked_by,omitempty"`
	ForApplication string              `json:"for_application,omitempty"`
	// Decision is the clerk's decision once taken.
	Decision  string             `json:"decision,omitempty"`
	CreatedAt time.Time          `json:"created_at"`
	UpdatedAt time.Time          `json:"updated_at"`
	Preview   *api.Preview       `json:"preview,omitempty"`
	Evidence  []api.EvidenceFile `json:"evidence,omitempty"`
}

// toAPI is the one place that maps the stored facts to the API's request
// (without what each caller adds: timeline, citizen, representative,
// preview URL, a clerk's marks).
func (f requestFacts) toAPI() api.Request {
	return api.Request{
		ID: f.ID, ServiceID: f.ServiceID, Requirement: f.Requirement, Country: f.Country, State: f.State,
		ExpectedBy: f.ExpectedBy, DecisionBy: f.DecisionBy, ErrorCode: f.ErrorCode, Problem: f.Problem,
		PreviewLocation: f.PreviewLocation, EvidenceType: f.EvidenceType, Provider: f.Provider,
		Questions: f.Questions, Answers: f.Answers, LegalBasis: f.LegalBasis, Archived: f.Archived,
		FeedbackRating: f.FeedbackRating, AskedBy: f.AskedBy, ForApplication: f.ForApplication,
		Decision: f.Decision, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt, Preview: f.Preview, Evidence: f.Evidence,
	}
}

// readRequestDoc reads a stored request document of any version this
// program knows, in today's shape; one written by a newer program is an
// error rather than a guess.
func readRequestDoc(data []byte) (*requestDoc, error) {
	var doc requestDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	switch doc.Version {
	case 0: // version 1: the facts were the API's request, under "view"
		var v1 struct {
			View requestFacts `json:"view"`
		}
		if err := json.Unmarshal(data, &v1); err != nil {
			return nil, err
		}
		doc.Facts, doc.Version = v1.View, requestDocVersion
	case requestDocVersion:
	default:
		return nil, fmt.Errorf("stored in version %d, newer than this program's %d", doc.Version, requestDocVersion)
	}
	return &doc, nil
}
