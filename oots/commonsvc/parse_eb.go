package commonsvc

import (
	"fmt"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/regrep"
)

// ParseRequirements reads an Evidence Broker answer to "Get List of
// Requirements" (v1.0 or v2.0). An error answer is returned as a
// *QueryError.
func ParseRequirements(data []byte) ([]Requirement, error) {
	return parseEB(data)
}

// ParseEvidenceTypes reads an Evidence Broker answer to "Get Evidence Types
// for Requirement" (v1.0 or v2.0): the requirement with its evidence type
// lists. An error answer is returned as a *QueryError.
func ParseEvidenceTypes(data []byte) ([]Requirement, error) {
	reqs, err := parseEB(data)
	if err != nil {
		return nil, err
	}
	for i, r := range reqs {
		if len(r.EvidenceTypeLists) == 0 {
			return nil, fmt.Errorf("sdg:Requirement[%d] %s: %w", i+1, r.ID, regrep.FieldErr("sdg:Requirement/sdg:EvidenceTypeList", regrep.ErrMissing))
		}
	}
	return reqs, nil
}

func parseEB(data []byte) ([]Requirement, error) {
	a, err := readAnswer(data, EvidenceBroker, "Requirement")
	if err != nil {
		return nil, err
	}
	out := make([]Requirement, 0, len(a.objects))
	for i, e := range a.objects {
		r, err := readRequirement(e)
		if err != nil {
			return nil, fmt.Errorf("rim:RegistryObject[%d]: %w", i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func readRequirement(e *etree.Element) (Requirement, error) {
	if !regrep.Is(e, regrep.NSSDG, "Requirement") {
		return Requirement{}, regrep.FieldErr("sdg:Requirement", fmt.Errorf("%w: %s", regrep.ErrNamespace, regrep.Name(e)))
	}
	id, err := required(e, "Identifier")
	if err != nil {
		return Requirement{}, err
	}
	r := Requirement{ID: id, Names: texts(e, "Name"), Descriptions: texts(e, "Description")}
	for i, rf := range sdgAll(e, "ReferenceFramework") {
		f, err := readReferenceFramework(rf)
		if err != nil {
			return r, fmt.Errorf("sdg:ReferenceFramework[%d]: %w", i+1, err)
		}
		r.ReferenceFrameworks = append(r.ReferenceFrameworks, f)
	}
	for i, le := range sdgAll(e, "EvidenceTypeList") {
		l, err := readEvidenceTypeList(le)
		if err != nil {
			return r, fmt.Errorf("sdg:EvidenceTypeList[%d]: %w", i+1, err)
		}
		r.EvidenceTypeLists = append(r.EvidenceTypeLists, l)
	}
	return r, nil
}

func readReferenceFramework(e *etree.Element) (ReferenceFramework, error) {
	id, err := required(e, "Identifier")
	if err != nil {
		return ReferenceFramework{}, err
	}
	f := ReferenceFramework{ID: id, Titles: texts(e, "Title"), Descriptions: texts(e, "Description")}
	for _, rt := range sdgAll(e, "RelatedTo") {
		p, err := required(rt, "Identifier")
		if err != nil {
			return f, err
		}
		f.Procedures = append(f.Procedures, p)
	}
	if j := sdg(e, "Jurisdiction"); j != nil {
		if f.Jurisdiction, err = readJurisdiction(j); err != nil {
			return f, err
		}
	}
	return f, nil
}

func readEvidenceTypeList(e *etree.Element) (EvidenceTypeList, error) {
	id, err := required(e, "Identifier")
	if err != nil {
		return EvidenceTypeList{}, err
	}
	l := EvidenceTypeList{ID: id, Names: texts(e, "Name")}
	if je := sdg(e, "Jurisdiction"); je != nil {
		j, err := readJurisdiction(je)
		if err != nil {
			return l, err
		}
		l.Jurisdiction = &j
	}
	for i, te := range sdgAll(e, "EvidenceType") {
		t, err := readEvidenceType(te)
		if err != nil {
			return l, fmt.Errorf("sdg:EvidenceType[%d]: %w", i+1, err)
		}
		if len(t.Jurisdictions) == 0 && l.Jurisdiction != nil {
			t.Jurisdictions = []Jurisdiction{*l.Jurisdiction}
		}
		l.EvidenceTypes = append(l.EvidenceTypes, t)
	}
	return l, nil
}

func readEvidenceType(e *etree.Element) (EvidenceType, error) {
	cls, err := required(e, "EvidenceTypeClassification")
	if err != nil {
		return EvidenceType{}, err
	}
	t := EvidenceType{Classification: cls, Titles: texts(e, "Title"), Descriptions: texts(e, "Description")}
	for _, je := range sdgAll(e, "Jurisdiction") {
		j, err := readJurisdiction(je)
		if err != nil {
			return t, err
		}
		t.Jurisdictions = append(t.Jurisdictions, j)
	}
	for _, de := range append(sdgAll(e, "Distribution"), sdgAll(e, "DistributedAs")...) {
		d, err := readDistribution(de)
		if err != nil {
			return t, err
		}
		t.Distributions = append(t.Distributions, d)
	}
	return t, nil
}

func readDistribution(e *etree.Element) (Distribution, error) {
	f, err := required(e, "Format")
	if err != nil {
		return Distribution{}, err
	}
	d := Distribution{Format: f, ConformsTo: text(e, "ConformsTo"), Transformation: text(e, "Transformation")}
	for _, l := range sdgAll(e, "Language") {
		d.Languages = append(d.Languages, l.Text())
	}
	return d, nil
}
