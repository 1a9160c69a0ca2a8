package edm

// Text is a string in a language (sdg:Name, sdg:Title, sdg:Description
// with their lang attribute).
type Text struct {
	Lang  string // ISO 639-1 code as written, e.g. "EN"; "" = no lang attribute
	Value string
}

// Identifier is an sdg:Identifier (or sdg:LegalPersonIdentifier) with its
// optional schemeID, e.g. {"DE73524311", "urn:cef.eu:names:identifier:EAS:9930"}
// or an eIDAS identifier {"DK/DE/123123123", "eidas"}.
type Identifier struct {
	Value    string
	SchemeID string
}

// Address is an sdg address (sdg:Address, sdg:CurrentAddress,
// sdg:RegisteredAddress). AdminUnitLevel1 (country code) is mandatory.
type Address struct {
	FullAddress       string
	LocatorDesignator string
	PostCode          string
	PostCityName      string
	Thoroughfare      string
	AdminUnitLevel1   string // ISO 3166-1 alpha-2 country code (OOTS list: EL for Greece)
	AdminUnitLevel2   string // NUTS code
}

// Jurisdiction is an sdg:Jurisdiction.
type Jurisdiction struct {
	AdminUnitLevel1 string
	AdminUnitLevel2 string
	AdminUnitLevel3 string
}

// Agent classifications (code list AgentClassification).
const (
	ClassEvidenceRequester    = "ER"
	ClassEvidenceProvider     = "EP"
	ClassIntermediaryPlatform = "IP"
	ClassErrorProvider        = "ERRP"
)

// Agent is an sdg:Agent: evidence requester, evidence provider, error
// provider or intermediary platform.
type Agent struct {
	Identifier     Identifier
	Names          []Text // at least one
	Address        *Address
	Jurisdiction   *Jurisdiction
	Classification string // ER, EP, IP, ERRP; optional
}

// Attribute is an eIDAS sector-specific attribute
// (sdg:SectorSpecificAttribute).
type Attribute struct {
	Name  string
	URI   string
	Value string
}

// Genders (eIDAS).
const (
	GenderMale        = "Male"
	GenderFemale      = "Female"
	GenderUnspecified = "Unspecified"
)

// Person is a natural person (sdg:Person in a request, sdg:NaturalPerson in
// evidence metadata) with the eIDAS minimum data set and optional
// attributes. It is also the type of an authorised representative.
type Person struct {
	LevelOfAssurance string     // eIDAS LoA: "High", "Substantial", "Low"; optional
	Identifier       Identifier // eIDAS identifier "XX/YY/ZZZ", scheme "eidas"; optional
	FamilyName       string
	GivenName        string
	DateOfBirth      string // xsd:date, YYYY-MM-DD
	BirthName        string
	PlaceOfBirth     string
	CurrentAddress   *Address
	Gender           string
	SectorSpecific   []Attribute
}

// LegalPerson is a company or other legal person (sdg:LegalPerson).
type LegalPerson struct {
	LevelOfAssurance      string
	Identifiers           []Identifier // sdg:Identifier, e.g. Tax or VAT numbers
	LegalPersonIdentifier Identifier   // eIDAS legal person identifier; optional
	LegalName             string
	RegisteredAddress     *Address
	SectorSpecific        []Attribute
}

// Requirement is an sdg:Requirement the evidence is requested for.
// Descriptions were added after v1.0 and are not written in v1.0.
type Requirement struct {
	Identifier   string // https://sr.oots.tech.europa.eu/requirements/<uuid>
	Names        []Text
	Descriptions []Text
}

// Distribution is the form the evidence takes (sdg:DistributedAs in a
// request, sdg:Distribution in evidence metadata). In v1.0 requests
// Languages are not written.
type Distribution struct {
	Format         string   // OOTSMediaTypes, e.g. "application/pdf"
	Languages      []string // sdg:Language
	ConformsTo     string   // data model scheme URL
	Transformation string   // subset URL
}

// EvidenceType is the requested evidence type (sdg:DataServiceEvidenceType
// in the EvidenceRequest slot), as returned by the Data Service Directory.
type EvidenceType struct {
	Identifier     string // DSD data service evidence type id
	Classification string // sdg:EvidenceTypeClassification URL
	Titles         []Text
	Descriptions   []Text
	DistributedAs  Distribution
}

// SupportedValue is the choice of values of an evidence provider
// classification; Kind is "StringValue", "DateValue" or "BooleanValue".
type SupportedValue struct {
	Kind   string
	Values []string
}

// ProviderClassification is an sdg:EvidenceProviderClassification: a
// question the user answered so the right provider could be found.
type ProviderClassification struct {
	Identifier      string
	Type            string
	ValueExpression string
	Descriptions    []Text
	SupportedValue  *SupportedValue
}

// EvidenceTypeRef is the sdg:IsConformantTo of evidence metadata.
type EvidenceTypeRef struct {
	Classification string
	Titles         []Text
	Descriptions   []Text
}

// Period is a validity period with xsd:date bounds.
type Period struct {
	StartDate string
	EndDate   string
}

// Evidence is the sdg:Evidence metadata describing one delivered evidence.
// Exactly one of NaturalPerson and LegalPerson is set.
type Evidence struct {
	Identifier       string
	NaturalPerson    *Person
	LegalPerson      *LegalPerson
	IssuingAuthority Agent
	IsConformantTo   EvidenceTypeRef
	IssuingDate      string // xsd:date
	Distribution     Distribution
	ValidityPeriod   *Period
}
