package commonsvc

import (
	"regexp"
	"slices"
	"strings"
)

var (
	nutsCode = regexp.MustCompile(`^[A-Z]{2}[0-9A-Z]{1,3}$`)
	lauCode  = regexp.MustCompile(`^[0-9A-Z]{1,12}$`)
)

// Requirements answers "Get List of Requirements": the requirements of the
// procedure with the reference framework of the implementing country. It
// fails with a *QueryError carrying the EB:ERR code.
func (d *Directory) Requirements(q RequirementsQuery) ([]Requirement, error) {
	switch {
	case q.Procedure == "":
		return nil, newQueryError(EvidenceBroker, EBBadParameters, ParamProcedure)
	case q.Country == "":
		return nil, newQueryError(EvidenceBroker, EBBadParameters, ParamCountry)
	}
	if _, ok := d.procedures[q.Procedure]; !ok {
		return nil, newQueryError(EvidenceBroker, EBUnknownProcedure, q.Procedure)
	}
	if !d.countries[q.Country] {
		return nil, newQueryError(EvidenceBroker, EBUnknownCountry, q.Country)
	}
	if err := d.checkRegion(q.Country, q.AdminLevel2, q.AdminLevel3); err != nil {
		return nil, err
	}
	var out []Requirement
	for _, r := range d.requirements {
		if slices.Contains(r.procedures, q.Procedure) {
			out = append(out, Requirement{ID: r.id, Names: r.names, ReferenceFrameworks: []ReferenceFramework{d.framework(r, q.Procedure, q.Country)}})
		}
	}
	if len(out) == 0 {
		return nil, newQueryError(EvidenceBroker, EBEmptyResult, "")
	}
	return out, nil
}

// EvidenceTypes answers "Get Evidence Types for Requirement": the
// requirement with one evidence type list per evidence type issued in the
// country. It fails with a *QueryError carrying the EB:ERR code.
func (d *Directory) EvidenceTypes(q EvidenceTypesQuery) ([]Requirement, error) {
	switch {
	case q.RequirementID == "":
		return nil, newQueryError(EvidenceBroker, EBBadParameters, ParamRequirement)
	case !countryCode.MatchString(q.Country):
		return nil, newQueryError(EvidenceBroker, EBBadParameters, ParamCountry)
	}
	r := d.byReq[q.RequirementID]
	if r == nil {
		return nil, newQueryError(EvidenceBroker, EBRequirementNotFound, q.RequirementID)
	}
	if err := d.checkRegion(q.Country, q.AdminLevel2, q.AdminLevel3); err != nil {
		return nil, err
	}
	out := Requirement{ID: r.id, Names: r.names}
	for _, c := range d.Countries() {
		for _, p := range r.procedures {
			out.ReferenceFrameworks = append(out.ReferenceFrameworks, d.framework(r, p, c))
		}
	}
	for _, t := range r.types {
		if t.country != q.Country {
			continue
		}
		out.EvidenceTypeLists = append(out.EvidenceTypeLists, EvidenceTypeList{
			ID:    demoUUID("evidence-type-list", r.id, t.slug),
			Names: t.titles,
			EvidenceTypes: []EvidenceType{{
				Classification: t.classification,
				Titles:         t.titles,
				Descriptions:   t.descriptions,
				Jurisdictions:  []Jurisdiction{{Country: t.country}},
			}},
		})
	}
	if len(out.EvidenceTypeLists) == 0 {
		return nil, newQueryError(EvidenceBroker, EBEmptyResult, "")
	}
	return []Requirement{out}, nil
}

// checkRegion validates optional jurisdiction parameters (EB:ERR:0004).
func (d *Directory) checkRegion(country, l2, l3 string) error {
	if l2 != "" && (!nutsCode.MatchString(l2) || !strings.HasPrefix(l2, country)) {
		return newQueryError(EvidenceBroker, EBBadJurisdictionLevel, l2)
	}
	if l3 != "" && !lauCode.MatchString(l3) {
		return newQueryError(EvidenceBroker, EBBadJurisdictionLevel, l3)
	}
	return nil
}

// framework returns the reference framework of procedure in country.
func (d *Directory) framework(r *dirRequirement, procedure, country string) ReferenceFramework {
	return ReferenceFramework{
		ID:           demoUUID("reference-framework", r.id, procedure, country),
		Titles:       Texts{{Lang: "EN", Value: d.procedures[procedure] + " (" + country + ")"}},
		Procedures:   []string{procedure},
		Jurisdiction: Jurisdiction{Country: country},
	}
}

// DataServices answers "Find Data Services". When the evidence type needs
// user attributes that q does not carry, it fails with an
// *AttributesRequiredError (DSD:ERR:0005); other failures are *QueryError
// with the DSD:ERR code.
func (d *Directory) DataServices(q DataServicesQuery) ([]DataServiceEvidenceType, error) {
	switch {
	case q.Classification == "":
		return nil, newQueryError(DataServiceDirectory, DSDBadParameters, ParamClassification)
	case !countryCode.MatchString(q.Country):
		return nil, newQueryError(DataServiceDirectory, DSDBadParameters, ParamCountry)
	}
	t := d.byClass[q.Classification]
	if t == nil {
		return nil, newQueryError(DataServiceDirectory, DSDEvidenceTypeNotFound, q.Classification)
	}
	if t.country != q.Country {
		return nil, newQueryError(DataServiceDirectory, DSDNoDataServices, q.Country)
	}
	if q.EvidenceTypeID != "" && q.EvidenceTypeID != t.id {
		return nil, newQueryError(DataServiceDirectory, DSDBadParameterValue, ParamEvidenceTypeID)
	}
	region, err := d.askJurisdiction(t, q)
	if err != nil {
		return nil, err
	}
	var missing []ClassificationConcept
	for _, c := range t.concepts {
		v, ok := q.Classifications[c.ID]
		switch {
		case !ok || v == "":
			missing = append(missing, c)
		case !slices.Contains(c.SupportedValues, v):
			return nil, newQueryError(DataServiceDirectory, DSDBadParameterValue, c.ID)
		}
	}
	if (t.jurisdiction != nil && region == "") || len(missing) > 0 {
		req := AttributeRequest{EvidenceType: t.bare(), Classifications: missing}
		var asked []string
		if t.jurisdiction != nil && region == "" {
			jd := *t.jurisdiction
			req.Jurisdiction = &jd
			asked = append(asked, "JurisdictionDetermination")
		}
		if len(missing) > 0 {
			asked = append(asked, "UserRequestedClassificationConcepts")
		}
		msg, _, _ := DSDAttributesRequired.Info()
		req.Message, req.Detail = msg, strings.Join(asked, " and ")
		return nil, &AttributesRequiredError{Requests: []AttributeRequest{req}}
	}
	out := *t.bare()
	out.LevelOfAssurance = t.loa
	out.JurisdictionDetermination = t.jurisdiction
	out.Classifications = t.concepts
	for _, p := range t.providers {
		if !p.serves(t, region, q.Classifications) {
			continue
		}
		s := p.service
		for i, c := range t.concepts {
			cc := c
			cc.SupportedValues = p.values[t.conceptSlugs[i]]
			s.Provider.Classifications = append(s.Provider.Classifications, cc)
		}
		out.Services = append(out.Services, s)
	}
	if len(out.Services) == 0 {
		return nil, newQueryError(DataServiceDirectory, DSDNoDataServices, "")
	}
	return []DataServiceEvidenceType{out}, nil
}

// askJurisdiction returns the user's region or local unit for t, "" when
// not given; a wrong context id or malformed code is DSD:ERR:0006.
func (d *Directory) askJurisdiction(t *dirEvidenceType, q DataServicesQuery) (string, error) {
	if t.jurisdiction == nil {
		return "", nil
	}
	param, value := ParamAdminLevel2, q.AdminLevel2
	if t.jurisdiction.Level == JurisdictionLAU {
		param, value = ParamAdminLevel3, q.AdminLevel3
	}
	if value == "" {
		return "", nil
	}
	if q.JurisdictionContext != t.jurisdiction.ContextID {
		return "", newQueryError(DataServiceDirectory, DSDBadParameterValue, ParamJurisdictionContext)
	}
	ok := lauCode.MatchString(value)
	if param == ParamAdminLevel2 {
		ok = nutsCode.MatchString(value) && strings.HasPrefix(value, t.country) && len(value) == nutsLength(t.jurisdiction.Level)
	}
	if !ok {
		return "", newQueryError(DataServiceDirectory, DSDBadParameterValue, param)
	}
	return value, nil
}

// nutsLength is the length of a NUTS code of level ("DE3" for NUTS1).
func nutsLength(level string) int {
	switch level {
	case JurisdictionNUTS1:
		return 3
	case JurisdictionNUTS2:
		return 4
	}
	return 5
}

// serves reports whether provider p issues t for the user's region and
// classification answers.
func (p *dirProvider) serves(t *dirEvidenceType, region string, answers map[string]string) bool {
	if t.jurisdiction != nil {
		j := p.service.Provider.Jurisdiction
		if t.jurisdiction.Level == JurisdictionLAU {
			if j.AdminLevel3 != "" && j.AdminLevel3 != region {
				return false
			}
		} else if !strings.HasPrefix(region, j.AdminLevel2) {
			return false
		}
	}
	for i, c := range t.concepts {
		if !slices.Contains(p.values[t.conceptSlugs[i]], answers[c.ID]) {
			return false
		}
	}
	return true
}

// bare returns the evidence type as the DSD describes it without services.
func (t *dirEvidenceType) bare() *DataServiceEvidenceType {
	return &DataServiceEvidenceType{
		ID:             t.id,
		Classification: t.classification,
		Titles:         t.titles,
		Descriptions:   t.descriptions,
		Distributions:  t.distributions,
	}
}
