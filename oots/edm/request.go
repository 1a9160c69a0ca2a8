package edm

import "time"

// Procedure is the OOTS procedure code (code list Procedures, e.g. "R1"
// "Requesting proof of registration of birth"). v1 writes it as an
// international string in language Lang (set it, normally "EN"; the
// xml:lang attribute is left out when empty), v2 as a plain string.
type Procedure struct {
	Code string
	Lang string
}

// QueryRequest is an EDM evidence request (query:QueryRequest).
//
// The first request has PossibilityForPreview set when the user can
// preview; if the provider answers EDM:ERR:0002 the second request is made
// with AfterPreview, which keeps everything and adds the PreviewLocation.
type QueryRequest struct {
	// Version is the SpecificationIdentifier read by Parse; Marshal takes
	// the version to write as an argument.
	Version Version
	// ID is the request identifier, "urn:uuid:<uuid>" (see NewID). Every
	// request, also the second one after a preview, has its own ID.
	ID string
	// ExchangeID ties the requests and responses of one evidence exchange
	// together (the first and the second request after a preview share it).
	// It is transport metadata: the AS4 layer carries it as the ExchangeId
	// message property (v2.0); it is not written into the EDM XML.
	ExchangeID string
	// Lang is the optional xml:lang of the request: the preferred language
	// of the evidence.
	Lang string

	IssueDateTime         time.Time
	Procedure             *Procedure // SHOULD be present
	PreviewLocation       string     // second request after a preview
	PossibilityForPreview bool
	ExplicitRequestGiven  bool
	Requirements          []Requirement
	// EvidenceRequesters holds the evidence requester (classification ER)
	// and, when one is involved, the intermediary platform (IP).
	EvidenceRequesters              []Agent
	EvidenceProvider                Agent
	EvidenceProviderClassifications []ProviderClassification

	// Subject: exactly one of NaturalPerson and LegalPerson.
	NaturalPerson            *Person
	LegalPerson              *LegalPerson
	AuthorizedRepresentative *Person
	EvidenceRequest          EvidenceType
}

// AfterPreview returns the second request of a preview flow: a copy of r
// with a new ID, IssueDateTime now and PreviewLocation set, keeping the
// ExchangeID.
func (r *QueryRequest) AfterPreview(previewLocation string, now time.Time) *QueryRequest {
	c := *r
	c.ID = NewID()
	c.IssueDateTime = now
	c.PreviewLocation = previewLocation
	return &c
}

// SpecVersion returns the version the message was read with.
func (r *QueryRequest) SpecVersion() Version { return r.Version }
