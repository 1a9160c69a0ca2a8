package commonsvc

import (
	"net/url"
	"sort"
)

// Query ids of the OOTS common services (RegRep 4 REST binding).
const (
	QueryRequirements  = "urn:fdc:oots:eb:ebxml-regrep:queries:requirements-by-procedure-and-jurisdiction"
	QueryEvidenceTypes = "urn:fdc:oots:eb:ebxml-regrep:queries:evidence-types-by-requirement-and-jurisdiction"
	QueryDataServices  = "urn:fdc:oots:dsd:ebxml-regrep:queries:dataservices-by-evidencetype-and-jurisdiction"
)

// Query parameter names.
const (
	ParamQueryID             = "queryId"
	ParamProcedure           = "procedure-id"
	ParamRequirement         = "requirement-id"
	ParamCountry             = "country-code"
	ParamAdminLevel2         = "jurisdiction-admin-l2"
	ParamAdminLevel3         = "jurisdiction-admin-l3"
	ParamClassification      = "evidence-type-classification"
	ParamEvidenceTypeID      = "evidence-type-id"
	ParamJurisdictionContext = "jurisdiction-context-id"
)

// RequirementsQuery is the EB "Get List of Requirements" query: the
// requirements of a procedure as a country implements it.
type RequirementsQuery struct {
	Procedure   string // Procedures code list, e.g. "R1"
	Country     string // the implementing country
	AdminLevel2 string // optional region
	AdminLevel3 string // optional local unit
}

// Values returns the query parameters, queryId included.
func (q RequirementsQuery) Values() url.Values {
	v := url.Values{ParamQueryID: {QueryRequirements}}
	set(v, ParamProcedure, q.Procedure)
	set(v, ParamCountry, q.Country)
	set(v, ParamAdminLevel2, q.AdminLevel2)
	set(v, ParamAdminLevel3, q.AdminLevel3)
	return v
}

// EvidenceTypesQuery is the EB "Get Evidence Types for Requirement" query:
// the evidence types proving a requirement in a country.
type EvidenceTypesQuery struct {
	RequirementID string
	Country       string // the country issuing the evidence
	AdminLevel2   string
	AdminLevel3   string
}

// Values returns the query parameters, queryId included.
func (q EvidenceTypesQuery) Values() url.Values {
	v := url.Values{ParamQueryID: {QueryEvidenceTypes}}
	set(v, ParamRequirement, q.RequirementID)
	set(v, ParamCountry, q.Country)
	set(v, ParamAdminLevel2, q.AdminLevel2)
	set(v, ParamAdminLevel3, q.AdminLevel3)
	return v
}

// DataServicesQuery is the DSD "Find Data Services" query. The optional
// fields carry the user-provided attributes a DSD:ERR:0005 asked for.
type DataServicesQuery struct {
	Classification string // evidence type classification from the EB
	Country        string
	// From a DSD:ERR:0005 answer: the DSD evidence type id, the
	// jurisdiction context id and the user's region or local unit.
	EvidenceTypeID      string
	JurisdictionContext string
	AdminLevel2         string
	AdminLevel3         string
	// Provider classification answers: classification id → chosen value.
	Classifications map[string]string
}

// Values returns the query parameters, queryId included.
func (q DataServicesQuery) Values() url.Values {
	v := url.Values{ParamQueryID: {QueryDataServices}}
	set(v, ParamClassification, q.Classification)
	set(v, ParamCountry, q.Country)
	set(v, ParamEvidenceTypeID, q.EvidenceTypeID)
	set(v, ParamJurisdictionContext, q.JurisdictionContext)
	set(v, ParamAdminLevel2, q.AdminLevel2)
	set(v, ParamAdminLevel3, q.AdminLevel3)
	keys := make([]string, 0, len(q.Classifications))
	for k := range q.Classifications {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		set(v, k, q.Classifications[k])
	}
	return v
}

func set(v url.Values, key, value string) {
	if value != "" {
		v.Set(key, value)
	}
}
