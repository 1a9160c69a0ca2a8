package exchange

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
)

// requestDocVersion is the shape of the stored request document this
// program writes. Version 1 (no "v") kept the API's api.Request itself
// under "view"; version 2 keeps requestFacts under "facts". Giving the
// nested values storage types of their own kept the JSON of version 2
// (TestStoredRequestV2RowReadsAsBefore); a change of it needs version 3.
const requestDocVersion = 2

// requestFacts is what the store keeps of a request for the API: the
// exchange service's own type, down to its nested values, so the wire
// type can change without changing what is stored. Its JSON names are
// those version 1 stored (api.Request's); toAPI maps it to the API.
type requestFacts struct {
	ID              string              `json:"id"`
	ServiceID       string              `json:"service_id"`
	Requirement     string              `json:"requirement"`
	Country         string              `json:"country"`
	State           string              `json:"state"`
	ExpectedBy      *time.Time          `json:"expected_by,omitempty"`
	DecisionBy      *time.Time          `json:"decision_by,omitempty"`
	ErrorCode       string              `json:"error_code,omitempty"`
	Problem         string              `json:"problem,omitempty"`
	PreviewLocation string              `json:"preview_location,omitempty"`
	EvidenceType    *storedEvidenceType `json:"evidence_type,omitempty"`
	Provider        *storedProvider     `json:"provider,omitempty"`
	Questions       []storedQuestion    `json:"questions,omitempty"`
	Answers         map[string]string   `json:"answers,omitempty"`
	LegalBasis      string              `json:"legal_basis"`
	Archived        bool                `json:"archived,omitempty"`
	FeedbackRating  int                 `json:"feedback_rating,omitempty"`
	// AskedBy and ForApplication: the institution whose clerk asked for
	// this evidence, for which application.
	AskedBy        *storedInstitution `json:"asked_by,omitempty"`
	ForApplication string             `json:"for_application,omitempty"`
	// Decision is the clerk's decision once taken.
	Decision  string         `json:"decision,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	Preview   *storedPreview `json:"preview,omitempty"`
	Evidence  []storedFile   `json:"evidence,omitempty"`
}

// storedEvidenceType is the evidence type the Evidence Broker named.
type storedEvidenceType struct {
	Classification string            `json:"classification"`
	Title          map[string]string `json:"title"` // by upper-case language code
}

// storedProvider is the evidence provider the Data Service Directory
// named, with the sign-in level it needs for this evidence.
type storedProvider struct {
	ID               string            `json:"id"`
	Name             string            `json:"name"` // in English
	Names            map[string]string `json:"names,omitempty"`
	PartyID          string            `json:"party_id"`
	EDMVersion       string            `json:"edm_version"`
	LevelOfAssurance string            `json:"level_of_assurance,omitempty"`
}

// storedQuestion is an attribute the directory needs from the user.
type storedQuestion struct {
	Name         string            `json:"name"`
	Description  string            `json:"description"` // in English
	Descriptions map[string]string `json:"descriptions,omitempty"`
	Values       []string          `json:"values,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
}

// storedInstitution is an institution of the catalogue: the one whose
// clerk asked for evidence, or the issuer of a result document.
type storedInstitution struct {
	ID   string            `json:"id"`
	Name map[string]string `json:"name"` // by ISO 639-1 code
}

// storedPreview is the evidence as the provider's preview space showed it.
type storedPreview struct {
	Title     string               `json:"title"`
	Provider  string               `json:"provider"`
	Fields    []storedPreviewField `json:"fields"`
	Language  string               `json:"language,omitempty"`
	Languages []string             `json:"languages,omitempty"`
	Expires   time.Time            `json:"expires"`
	Decision  string               `json:"decision,omitempty"`
}

// storedPreviewField is one line of a preview.
type storedPreviewField struct {
	Name       string `json:"name"`
	Value      string `json:"value"`
	Source     string `json:"source"`
	LegalBasis string `json:"legal_basis"`
}

// storedFile is one delivered evidence document, or a result document a
// clerk attached (Issuer set).
type storedFile struct {
	Index       int                `json:"index"`
	ContentType string             `json:"content_type"`
	Size        int64              `json:"size"`
	SHA256      string             `json:"sha256"`
	Title       string             `json:"title,omitempty"`
	Issuer      *storedInstitution `json:"issuer,omitempty"`
	IssuedAt    time.Time          `json:"issued_at,omitzero"`
}

// toAPI is the one place that maps the stored facts to the API's request
// (without what each caller adds: timeline, citizen, representative,
// preview URL, a clerk's marks).
func (f requestFacts) toAPI() api.Request {
	v := api.Request{
		ID: f.ID, ServiceID: f.ServiceID, Requirement: f.Requirement, Country: f.Country, State: f.State,
		ExpectedBy: f.ExpectedBy, DecisionBy: f.DecisionBy, ErrorCode: f.ErrorCode, Problem: f.Problem,
		PreviewLocation: f.PreviewLocation, Answers: f.Answers, LegalBasis: f.LegalBasis, Archived: f.Archived,
		FeedbackRating: f.FeedbackRating, AskedBy: f.AskedBy.toCatalogue(), ForApplication: f.ForApplication,
		Decision: f.Decision, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt,
	}
	if t := f.EvidenceType; t != nil {
		v.EvidenceType = &api.EvidenceType{Classification: t.Classification, Title: t.Title}
	}
	if p := f.Provider; p != nil {
		v.Provider = &api.Provider{
			ID: p.ID, Name: p.Name, Names: p.Names, PartyID: p.PartyID, EDMVersion: p.EDMVersion,
			LevelOfAssurance: p.LevelOfAssurance,
		}
	}
	for _, q := range f.Questions {
		v.Questions = append(v.Questions, api.Question{
			Name: q.Name, Description: q.Description, Descriptions: q.Descriptions, Values: q.Values, Labels: q.Labels,
		})
	}
	if p := f.Preview; p != nil {
		v.Preview = &api.Preview{
			Title: p.Title, Provider: p.Provider, Language: p.Language, Languages: p.Languages,
			Expires: p.Expires, Decision: p.Decision,
		}
		for _, pf := range p.Fields {
			v.Preview.Fields = append(v.Preview.Fields, api.PreviewField{Name: pf.Name, Value: pf.Value, Source: pf.Source, LegalBasis: pf.LegalBasis})
		}
	}
	for _, e := range f.Evidence {
		v.Evidence = append(v.Evidence, e.toAPI())
	}
	return v
}

// toAPI maps a stored document to the API's.
func (e storedFile) toAPI() api.EvidenceFile {
	return api.EvidenceFile{
		Index: e.Index, ContentType: e.ContentType, Size: e.Size, SHA256: e.SHA256,
		Title: e.Title, Issuer: e.Issuer.toCatalogue(), IssuedAt: e.IssuedAt,
	}
}

// storedInstitutionOf keeps a catalogue institution (nil stays nil).
func storedInstitutionOf(p *catalogue.Provider) *storedInstitution {
	if p == nil {
		return nil
	}
	return &storedInstitution{ID: p.ID, Name: p.Name}
}

// toCatalogue gives the catalogue's institution back (nil stays nil).
func (s *storedInstitution) toCatalogue() *catalogue.Provider {
	if s == nil {
		return nil
	}
	return &catalogue.Provider{ID: s.ID, Name: s.Name}
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

// storedDataService is the provider's data service as the Data Service
// Directory named it, kept to address the QueryRequest and the preview.
// Its JSON names are the Go names of commonsvc.DataService, which
// version 2 stored; toMessage and storedDataServiceOf map it.
type storedDataService struct {
	PartyID    storedPartyID
	Names      []storedText
	EDMVersion string
	Provider   storedEvidenceProvider
	Preview    int // commonsvc.PreviewSupport
}

// storedPartyID is an identifier with its scheme.
type storedPartyID struct{ Type, Value string }

// storedText is one language variant of a text of the directory.
type storedText struct{ Lang, Value string }

// storedEvidenceProvider is the evidence provider of a data service.
type storedEvidenceProvider struct {
	ID              storedPartyID
	Names           []storedText
	Descriptions    []storedText
	Address         storedAddress
	Jurisdiction    storedJurisdiction
	Classifications []storedClassification
}

// storedAddress is the provider's address.
type storedAddress struct {
	FullAddress, LocatorDesignator, PostCode, PostCityName, Thoroughfare, Country, AdminLevel2 string
}

// storedJurisdiction is where the provider is competent.
type storedJurisdiction struct{ Country, AdminLevel2, AdminLevel3 string }

// storedClassification is a classification the provider answers to.
type storedClassification struct {
	ID, Type, ValueExpression string
	Descriptions              []storedText
	SupportedValues           []string
}

// storedDataServiceOf keeps the directory's data service.
func storedDataServiceOf(s commonsvc.DataService) *storedDataService {
	p := s.Provider
	out := &storedDataService{
		PartyID: storedPartyID(s.PartyID), Names: storedTexts(s.Names), EDMVersion: s.EDMVersion, Preview: int(s.Preview),
		Provider: storedEvidenceProvider{
			ID: storedPartyID(p.ID), Names: storedTexts(p.Names), Descriptions: storedTexts(p.Descriptions),
			Address: storedAddress(p.Address), Jurisdiction: storedJurisdiction(p.Jurisdiction),
		},
	}
	for _, c := range p.Classifications {
		out.Provider.Classifications = append(out.Provider.Classifications, storedClassification{
			ID: c.ID, Type: c.Type, ValueExpression: c.ValueExpression,
			Descriptions: storedTexts(c.Descriptions), SupportedValues: c.SupportedValues,
		})
	}
	return out
}

// toMessage gives the data service back as the directory named it.
func (s *storedDataService) toMessage() commonsvc.DataService {
	p := s.Provider
	out := commonsvc.DataService{
		PartyID: commonsvc.PartyID(s.PartyID), Names: messageTexts(s.Names), EDMVersion: s.EDMVersion,
		Preview: commonsvc.PreviewSupport(s.Preview),
		Provider: commonsvc.EvidenceProvider{
			ID: commonsvc.PartyID(p.ID), Names: messageTexts(p.Names), Descriptions: messageTexts(p.Descriptions),
			Address: commonsvc.Address(p.Address), Jurisdiction: commonsvc.Jurisdiction(p.Jurisdiction),
		},
	}
	for _, c := range p.Classifications {
		out.Provider.Classifications = append(out.Provider.Classifications, commonsvc.ClassificationConcept{
			ID: c.ID, Type: c.Type, ValueExpression: c.ValueExpression,
			Descriptions: messageTexts(c.Descriptions), SupportedValues: c.SupportedValues,
		})
	}
	return out
}

// storedTexts keeps the directory's texts (nil stays nil).
func storedTexts(ts commonsvc.Texts) []storedText {
	if ts == nil {
		return nil
	}
	out := make([]storedText, len(ts))
	for i, t := range ts {
		out[i] = storedText(t)
	}
	return out
}

// messageTexts gives stored texts back as the directory's (nil stays nil).
func messageTexts(ts []storedText) commonsvc.Texts {
	if ts == nil {
		return nil
	}
	out := make(commonsvc.Texts, len(ts))
	for i, t := range ts {
		out[i] = commonsvc.Text(t)
	}
	return out
}
