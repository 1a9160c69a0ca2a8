package requester

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/eidas"
)

// DefaultRequesterScheme is the identifier scheme of Authority.ID when
// Authority.Scheme is empty: the Latvian company register in the EAS code
// list.
const DefaultRequesterScheme = "urn:cef.eu:names:identifier:EAS:9939"

// Query is what one evidence request needs, from the catalogue, the
// Evidence Broker, the Data Service Directory and the citizen.
type Query struct {
	// ExchangeID ties the first request, the preview and the second
	// request together; NewExchangeID makes one.
	ExchangeID string
	// Procedure is the OOTS procedure code, e.g. "R1".
	Procedure string
	// Requirement is the requirement the evidence proves.
	Requirement Requirement
	// EvidenceType is the evidence type from the EB and DSD.
	EvidenceType EvidenceType
	// Provider is the DSD's data service that serves the evidence type:
	// its party id addresses the request, its EDMVersion is the version
	// written.
	Provider commonsvc.DataService
	// Subject is the citizen the evidence is about; unused when Company
	// is set.
	Subject Person
	// Company, when set, is the company the evidence is about (the
	// QueryRequest's LegalPerson); a representative acting for it under
	// a mandate is then required.
	Company *Company
	// Representative, when set, is the person who asks for Subject under
	// a mandate: the AuthorizedRepresentative of the QueryRequest.
	Representative *Person
	// Requester is the Latvian authority asking.
	Requester Authority
	// PreviewLocation is empty on the first request and, on the second,
	// the location of the EDM:ERR:0002 answer.
	PreviewLocation string
	// PreviewRound counts the requests with this PreviewLocation sent
	// before this one: 0 for the second request; 1 and more when the
	// citizen came back from the preview space before deciding and the
	// provider asked for the same preview again. It makes each such
	// request a new message (its own MessageId).
	PreviewRound int
}

// Requirement is an sdg:Requirement: its URI and English name.
type Requirement struct {
	ID   string
	Name string
}

// EvidenceType is the requested evidence type: the DSD's evidence type
// id, the EB classification, its titles and the chosen format.
type EvidenceType struct {
	ID             string
	Classification string
	Titles         commonsvc.Texts
	Format         string
}

// Person is a natural person: the eIDAS identifier, names and date of birth
// (YYYY-MM-DD). LevelOfAssurance defaults to "High".
type Person struct {
	// Identifier is the person's eIDAS identifier "XX/YY/unique" as the
	// sign-in gives it (today the demo person's record). The request
	// carries it with the evidence provider's country as destination YY,
	// whatever YY it had here (eidas.ID.For).
	Identifier       string
	GivenName        string
	FamilyName       string
	DateOfBirth      string
	LevelOfAssurance string
}

// Company is a legal person: its eIDAS legal person identifier
// "XX/YY/unique" (addressed to the provider's country like a person's)
// and legal name.
type Company struct {
	Identifier string
	LegalName  string
}

// Authority is the evidence requester: identifier (with its scheme,
// DefaultRequesterScheme when empty) and English name.
type Authority struct {
	ID     string
	Scheme string
	Name   string
}

// NewExchangeID returns a fresh ExchangeID (a UUID).
func NewExchangeID() string { return edm.NewUUID() }

// check names every missing or malformed field of q.
func (q *Query) check() error {
	var errs []error
	req := func(field, v string) {
		if strings.TrimSpace(v) == "" {
			errs = append(errs, fmt.Errorf("%s: empty", field))
		}
	}
	req("ExchangeID", q.ExchangeID)
	req("Procedure", q.Procedure)
	req("Requirement.ID", q.Requirement.ID)
	req("Requirement.Name", q.Requirement.Name)
	req("EvidenceType.Classification", q.EvidenceType.Classification)
	req("EvidenceType.Format", q.EvidenceType.Format)
	if len(q.EvidenceType.Titles) == 0 {
		errs = append(errs, errors.New("EvidenceType.Titles: empty"))
	}
	req("Provider.PartyID.Value", q.Provider.PartyID.Value)
	if c := q.Company; c != nil {
		req("Company.LegalName", c.LegalName)
		if _, err := q.personID(Person{Identifier: c.Identifier}); err != nil {
			errs = append(errs, fmt.Errorf("Company.Identifier %q: %w", c.Identifier, err))
		}
		if q.Representative == nil {
			errs = append(errs, errors.New("Representative: a request for a company is made by its representative"))
		}
	} else {
		req("Subject.GivenName", q.Subject.GivenName)
		req("Subject.FamilyName", q.Subject.FamilyName)
		if _, err := time.Parse(time.DateOnly, q.Subject.DateOfBirth); err != nil {
			errs = append(errs, fmt.Errorf("Subject.DateOfBirth %q: want YYYY-MM-DD", q.Subject.DateOfBirth))
		}
		if _, err := q.subjectID(); err != nil {
			errs = append(errs, fmt.Errorf("Subject.Identifier %q: %w", q.Subject.Identifier, err))
		}
	}
	if r := q.Representative; r != nil {
		req("Representative.GivenName", r.GivenName)
		req("Representative.FamilyName", r.FamilyName)
		if _, err := time.Parse(time.DateOnly, r.DateOfBirth); err != nil {
			errs = append(errs, fmt.Errorf("Representative.DateOfBirth %q: want YYYY-MM-DD", r.DateOfBirth))
		}
		if _, err := q.personID(*r); err != nil {
			errs = append(errs, fmt.Errorf("Representative.Identifier %q: %w", r.Identifier, err))
		}
	}
	req("Provider.Provider.ID.Value", q.Provider.Provider.ID.Value)
	req("Requester.ID", q.Requester.ID)
	req("Requester.Name", q.Requester.Name)
	if q.PreviewLocation != "" && !strings.HasPrefix(q.PreviewLocation, "https://") {
		errs = append(errs, fmt.Errorf("PreviewLocation %q: not an https URL", q.PreviewLocation))
	}
	if len(errs) > 0 {
		return fmt.Errorf("requester: query: %w", errors.Join(errs...))
	}
	return nil
}

// version is the EDM version the provider speaks (v1.0 when the DSD
// names none).
func (q *Query) version() (edm.Version, error) {
	if q.Provider.EDMVersion == "" {
		return edm.V1, nil
	}
	v, err := edm.ParseVersion(q.Provider.EDMVersion)
	if err != nil {
		return "", fmt.Errorf("requester: query: Provider.EDMVersion: %w", err)
	}
	return v, nil
}

// subjectID is the subject's eIDAS identifier as given to the provider:
// the destination segment is the provider's country.
func (q *Query) subjectID() (eidas.ID, error) { return q.personID(q.Subject) }

// personID is p's eIDAS identifier addressed to the provider's country.
func (q *Query) personID(p Person) (eidas.ID, error) {
	id, err := eidas.ParseID(p.Identifier)
	if err != nil {
		return eidas.ID{}, err
	}
	country := q.Provider.Provider.Country()
	if country == "" {
		return eidas.ID{}, fmt.Errorf("the provider %s has no country in the directory to address the identifier to", q.Provider.Provider.ID.Value)
	}
	return id.For(country)
}

// request builds the EDM QueryRequest of q, issued at now.
func (q *Query) request(now time.Time) *edm.QueryRequest {
	scheme := q.Requester.Scheme
	if scheme == "" {
		scheme = DefaultRequesterScheme
	}
	loa := q.Subject.LevelOfAssurance
	if q.Company != nil && q.Representative != nil {
		loa = q.Representative.LevelOfAssurance // the one who signed in
	}
	if loa == "" {
		loa = "High"
	}
	// The evidence provider is the DSD's Publisher (corner 4), the
	// authority that issues the evidence, as in the official samples and
	// test cases; the access service (corner 3) is the AS4 addressee.
	pr := q.Provider.Provider
	provider := edm.Agent{
		Identifier: edm.Identifier{Value: pr.ID.Value, SchemeID: pr.ID.Type},
		Names:      texts(pr.Names),
	}
	if len(provider.Names) == 0 {
		provider.Names = []edm.Text{{Lang: "EN", Value: pr.ID.Value}}
	}
	r := &edm.QueryRequest{
		ID:                    edm.NewID(),
		ExchangeID:            q.ExchangeID,
		IssueDateTime:         now.UTC().Truncate(time.Second),
		Procedure:             &edm.Procedure{Code: q.Procedure, Lang: "EN"},
		PossibilityForPreview: true,
		ExplicitRequestGiven:  true,
		Requirements: []edm.Requirement{{
			Identifier: q.Requirement.ID,
			Names:      []edm.Text{{Lang: "EN", Value: q.Requirement.Name}},
		}},
		EvidenceRequesters: []edm.Agent{{
			Identifier:     edm.Identifier{Value: q.Requester.ID, SchemeID: scheme},
			Names:          []edm.Text{{Lang: "EN", Value: q.Requester.Name}},
			Classification: edm.ClassEvidenceRequester,
		}},
		EvidenceProvider: provider,
		EvidenceRequest: edm.EvidenceType{
			Identifier:     q.EvidenceType.ID,
			Classification: q.EvidenceType.Classification,
			Titles:         texts(q.EvidenceType.Titles),
			DistributedAs:  edm.Distribution{Format: q.EvidenceType.Format},
		},
	}
	if c := q.Company; c != nil {
		id, _ := q.personID(Person{Identifier: c.Identifier}) // checked by check
		r.LegalPerson = &edm.LegalPerson{
			LevelOfAssurance:      loa,
			LegalPersonIdentifier: edm.Identifier{Value: id.String(), SchemeID: "eidas"},
			LegalName:             c.LegalName,
		}
	} else {
		subject, _ := q.subjectID() // checked by check
		r.NaturalPerson = &edm.Person{
			LevelOfAssurance: loa,
			Identifier:       edm.Identifier{Value: subject.String(), SchemeID: "eidas"},
			FamilyName:       q.Subject.FamilyName,
			GivenName:        q.Subject.GivenName,
			DateOfBirth:      q.Subject.DateOfBirth,
		}
	}
	if rep := q.Representative; rep != nil {
		id, _ := q.personID(*rep) // checked by check
		repLoA := rep.LevelOfAssurance
		if repLoA == "" {
			repLoA = loa
		}
		r.AuthorizedRepresentative = &edm.Person{
			LevelOfAssurance: repLoA,
			Identifier:       edm.Identifier{Value: id.String(), SchemeID: "eidas"},
			FamilyName:       rep.FamilyName,
			GivenName:        rep.GivenName,
			DateOfBirth:      rep.DateOfBirth,
		}
	}
	if q.PreviewLocation != "" {
		// The second request: same content, new ID, the location.
		r = r.AfterPreview(q.PreviewLocation, now.UTC().Truncate(time.Second))
	}
	return r
}

func texts(ts commonsvc.Texts) []edm.Text {
	out := make([]edm.Text, 0, len(ts))
	for _, t := range ts {
		out = append(out, edm.Text{Lang: t.Lang, Value: t.Value})
	}
	return out
}
