package commonsvc

import "strings"

// Text is one language variant of a multilingual sdg element.
type Text struct {
	Lang  string // the lang attribute, e.g. "EN"
	Value string
}

// Texts holds the language variants of one multilingual element.
type Texts []Text

// Get returns the variant for lang (case-insensitive), else the English
// one, else the first, else "".
func (ts Texts) Get(lang string) string {
	for _, want := range []string{lang, "EN"} {
		for _, t := range ts {
			if strings.EqualFold(t.Lang, want) {
				return t.Value
			}
		}
	}
	if len(ts) > 0 {
		return ts[0].Value
	}
	return ""
}

// Jurisdiction is an sdg:Jurisdiction: a country and optionally a region
// (NUTS code, AdminUnitLevel2) and a local unit (LAU code, AdminUnitLevel3).
type Jurisdiction struct {
	Country     string // AdminUnitLevel1, ISO 3166-1 alpha-2 (EL for Greece)
	AdminLevel2 string
	AdminLevel3 string
}

// Level returns the finest level the jurisdiction names, as a code of the
// JurisdictionLevel code list: "Country", "NUTS1".."NUTS3" (from the length
// of the NUTS code: DE3 is NUTS1, DE30 NUTS2, DE300 NUTS3) or "LAU"; ""
// when empty.
func (j Jurisdiction) Level() string {
	switch {
	case j.AdminLevel3 != "":
		return JurisdictionLAU
	case len(j.AdminLevel2) == 3:
		return JurisdictionNUTS1
	case len(j.AdminLevel2) == 4:
		return JurisdictionNUTS2
	case len(j.AdminLevel2) == 5:
		return JurisdictionNUTS3
	case j.Country != "":
		return JurisdictionCountry
	}
	return ""
}

// Codes of the JurisdictionLevel code list.
const (
	JurisdictionCountry = "Country"
	JurisdictionNUTS1   = "NUTS1"
	JurisdictionNUTS2   = "NUTS2"
	JurisdictionNUTS3   = "NUTS3"
	JurisdictionLAU     = "LAU"
)

// ReferenceFramework is the implementation of a procedure in a
// jurisdiction, the legal basis on which a requirement is asked.
type ReferenceFramework struct {
	ID           string
	Titles       Texts
	Descriptions Texts
	Procedures   []string // sdg:RelatedTo/sdg:Identifier, Procedures code list (e.g. "R1")
	Jurisdiction Jurisdiction
}

// Requirement is an sdg:Requirement of the Evidence Broker. Answers to
// "Get List of Requirements" leave EvidenceTypeLists empty; answers to "Get
// Evidence Types for Requirement" fill them.
type Requirement struct {
	ID                  string
	Names               Texts
	Descriptions        Texts // v2.0 only
	ReferenceFrameworks []ReferenceFramework
	EvidenceTypeLists   []EvidenceTypeList
}

// EvidenceTypes returns the evidence types of all lists, in order.
func (r Requirement) EvidenceTypes() []EvidenceType {
	var out []EvidenceType
	for _, l := range r.EvidenceTypeLists {
		out = append(out, l.EvidenceTypes...)
	}
	return out
}

// EvidenceTypeList groups evidence types that together prove a requirement;
// separate lists are alternatives.
type EvidenceTypeList struct {
	ID            string
	Names         Texts
	EvidenceTypes []EvidenceType
	Jurisdiction  *Jurisdiction // v2.0 puts the jurisdiction on the list
}

// EvidenceType is an sdg:EvidenceType of the Evidence Broker. Its
// Classification is the key for the Data Service Directory look-up.
type EvidenceType struct {
	Classification string
	Titles         Texts
	Descriptions   Texts
	Jurisdictions  []Jurisdiction // from the list when the type has none (v2.0)
	Distributions  []Distribution
}

// Distribution is a format in which evidence is delivered (sdg:DistributedAs
// in the DSD, sdg:Distribution in the EB).
type Distribution struct {
	Format         string // media type, OOTSMediaTypes code list
	ConformsTo     string // data model URI, for structured formats
	Transformation string
	Languages      []string // v2.0
}

// DataServiceEvidenceType is the DSD's description of an evidence type as
// one member state serves it, with the data services that serve it.
type DataServiceEvidenceType struct {
	ID               string // the DSD's evidence type id, used in the EDM request
	Classification   string
	Titles           Texts
	Descriptions     Texts
	Distributions    []Distribution
	Services         []DataService
	LevelOfAssurance string // Low, Substantial, High
	// JurisdictionDetermination and Classifications appear when the
	// provider depends on user attributes (see AttributesRequiredError).
	JurisdictionDetermination *JurisdictionDetermination
	Classifications           []ClassificationConcept
}

// DataService is an sdg:AccessService: the access point (corner 3) behind
// which an evidence provider (corner 4) answers.
type DataService struct {
	PartyID    PartyID // the AS4 party id of the access service
	Names      Texts   // v2.0
	EDMVersion string  // sdg:ConformsTo, e.g. "oots-edm:v1.0"
	Provider   EvidenceProvider
	// Preview tells whether the provider supports evidence preview. The
	// DSD answers of v1.0 and v2.0 carry no such field, so values parsed
	// from the wire are PreviewUnknown; Directory knows it for demo data.
	Preview PreviewSupport
}

// PreviewSupport tells whether a provider offers evidence preview.
type PreviewSupport int

// PreviewSupport values.
const (
	PreviewUnknown PreviewSupport = iota
	PreviewSupported
	PreviewNotSupported
)

// PartyID is an identifier with its scheme: for an access service the AS4
// party id and party id type, for a provider the identifier and its scheme.
type PartyID struct {
	Type  string // the schemeID attribute
	Value string
}

// URN returns the party id as one URN when its type is an ebCore party id
// type ("urn:oasis:names:tc:ebcore:partyid-type:…:value"), else Value.
func (p PartyID) URN() string {
	if strings.HasPrefix(p.Type, "urn:oasis:names:tc:ebcore:partyid-type:") {
		return p.Type + ":" + p.Value
	}
	return p.Value
}

// EvidenceProvider is an sdg:Publisher: the authority that issues the
// evidence.
type EvidenceProvider struct {
	ID              PartyID
	Names           Texts
	Descriptions    Texts // v2.0
	Address         Address
	Jurisdiction    Jurisdiction
	Classifications []ClassificationConcept // with SupportedValues
}

// Country returns the provider's country: the jurisdiction's, else the
// address's.
func (p EvidenceProvider) Country() string {
	if p.Jurisdiction.Country != "" {
		return p.Jurisdiction.Country
	}
	return p.Address.Country
}

// Address is an sdg:Address.
type Address struct {
	FullAddress       string
	LocatorDesignator string
	PostCode          string
	PostCityName      string
	Thoroughfare      string
	Country           string // AdminUnitLevel1
	AdminLevel2       string
}

// ClassificationConcept is an evidence provider classification: a question
// the user answers (sdg:EvidenceProviderClassification) or a provider's
// answer to it (sdg:ClassificationConcept with SupportedValues).
type ClassificationConcept struct {
	ID              string // also the name of the DSD query parameter carrying the answer
	Type            string // e.g. "Codelist"
	ValueExpression string // URI of the code list or expression
	Descriptions    Texts
	SupportedValues []string // allowed or supported values, where given
}

// JurisdictionDetermination asks the user for the place that decides
// which provider is competent (e.g. the place of birth at LAU level).
type JurisdictionDetermination struct {
	ContextID string // sent back as jurisdiction-context-id
	Contexts  Texts  // what the place is, e.g. "Place of birth"
	Level     string // JurisdictionLevel code: Country, NUTS1..3, LAU
}

// Param returns the DSD query parameter that carries the user's answer for
// this level: jurisdiction-admin-l3 for LAU, else jurisdiction-admin-l2.
func (j JurisdictionDetermination) Param() string {
	if j.Level == JurisdictionLAU {
		return ParamAdminLevel3
	}
	return ParamAdminLevel2
}
