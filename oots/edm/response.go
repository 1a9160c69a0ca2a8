package edm

import "time"

// Attachment is the rim:RepositoryItemRef of an evidence: the reference to
// the AS4 attachment (MIME part) that carries the evidence document.
type Attachment struct {
	Href  string // xlink:href, "cid:<content-id>"
	Title string // xlink:title
}

// ContentID returns the Content-ID the AS4 layer looks the attachment up
// by: Href without its "cid:" scheme.
func (a Attachment) ContentID() string {
	if len(a.Href) > 4 && (a.Href[:4] == "cid:" || a.Href[:4] == "CID:") {
		return a.Href[4:]
	}
	return a.Href
}

// ObjectClassification is a rim:Classification of a registry object; v2.0
// marks the main evidence with scheme ClassificationSchemeEDM and node
// NodeMainEvidence.
type ObjectClassification struct {
	ID     string
	Scheme string
	Node   string
}

// The v2.0 evidence classification used by oots-france.
const (
	ClassificationSchemeEDM = "urn:fdc:oots:classification:edm"
	NodeMainEvidence        = "MainEvidence"
)

// EvidenceItem is one delivered evidence (a rim:ExtrinsicObject): its
// metadata and the reference to the attachment.
type EvidenceItem struct {
	ID             string // registry object id, "urn:uuid:<uuid>"
	Metadata       Evidence
	Classification *ObjectClassification // v2 writes MainEvidence for the first item when nil
	Attachment     Attachment
}

// QueryResponse is a successful EDM evidence response (query:QueryResponse
// without rs:Exception).
type QueryResponse struct {
	Version    Version // read by Parse; Marshal takes the version to write
	RequestID  string  // id of the request answered, "urn:uuid:<uuid>"
	ExchangeID string  // transport metadata, see QueryRequest.ExchangeID
	// Status is StatusSuccess (the default when empty) or, for a response
	// that will be available later, StatusUnavailable.
	Status string
	// ResponseID is the EvidenceResponseIdentifier (a UUID).
	ResponseID                string
	IssueDateTime             time.Time
	ResponseAvailableDateTime time.Time // zero when absent
	EvidenceProviders         []Agent
	EvidenceRequester         Agent
	// PackageID is the id of the v2 rim:RegistryPackage grouping the
	// evidence; derived from ResponseID when empty.
	PackageID string
	// Evidence is empty in a success that found no evidence.
	Evidence []EvidenceItem
}

// Response statuses.
const (
	StatusSuccess     = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
	StatusFailure     = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"
	StatusUnavailable = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Unavailable"
)

// SpecVersion returns the version the message was read with.
func (r *QueryResponse) SpecVersion() Version { return r.Version }
