package edm

import (
	"fmt"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
)

// need returns a FieldError naming field when value is empty.
func need(field, value string) error {
	if value == "" {
		return regrep.FieldErr(field, ErrMissing)
	}
	return nil
}

// sdgElem creates an sdg: child.
func sdgElem(parent *etree.Element, local string) *etree.Element {
	return parent.CreateElement("sdg:" + local)
}

// sdgText creates an sdg: child with text, unless text is empty.
func sdgText(parent *etree.Element, local, text string) {
	if text != "" {
		sdgElem(parent, local).SetText(text)
	}
}

func buildTexts(parent *etree.Element, local string, ts []Text) {
	for _, t := range ts {
		e := sdgElem(parent, local)
		if t.Lang != "" {
			e.CreateAttr("lang", t.Lang)
		}
		e.SetText(t.Value)
	}
}

func buildIdentifier(parent *etree.Element, local string, id Identifier) {
	e := sdgElem(parent, local)
	if id.SchemeID != "" {
		e.CreateAttr("schemeID", id.SchemeID)
	}
	e.SetText(id.Value)
}

func buildAddress(parent *etree.Element, local string, a *Address) error {
	if err := need("sdg:"+local+"/sdg:AdminUnitLevel1", a.AdminUnitLevel1); err != nil {
		return err
	}
	e := sdgElem(parent, local)
	sdgText(e, "FullAddress", a.FullAddress)
	sdgText(e, "LocatorDesignator", a.LocatorDesignator)
	sdgText(e, "PostCode", a.PostCode)
	sdgText(e, "PostCityName", a.PostCityName)
	sdgText(e, "Thoroughfare", a.Thoroughfare)
	sdgText(e, "AdminUnitLevel1", a.AdminUnitLevel1)
	sdgText(e, "AdminUnitLevel2", a.AdminUnitLevel2)
	return nil
}

// buildAgent writes a as an element named local (Agent, IssuingAuthority).
func buildAgent(parent *etree.Element, local string, a *Agent) (*etree.Element, error) {
	path := "sdg:" + local
	if err := need(path+"/sdg:Identifier", a.Identifier.Value); err != nil {
		return nil, err
	}
	if len(a.Names) == 0 {
		return nil, regrep.FieldErr(path+"/sdg:Name", ErrMissing)
	}
	e := sdgElem(parent, local)
	buildIdentifier(e, "Identifier", a.Identifier)
	buildTexts(e, "Name", a.Names)
	if a.Address != nil {
		if err := buildAddress(e, "Address", a.Address); err != nil {
			return nil, regrep.FieldErr(path, err)
		}
	}
	if j := a.Jurisdiction; j != nil {
		if err := need(path+"/sdg:Jurisdiction/sdg:AdminUnitLevel1", j.AdminUnitLevel1); err != nil {
			return nil, err
		}
		je := sdgElem(e, "Jurisdiction")
		sdgText(je, "AdminUnitLevel1", j.AdminUnitLevel1)
		sdgText(je, "AdminUnitLevel2", j.AdminUnitLevel2)
		sdgText(je, "AdminUnitLevel3", j.AdminUnitLevel3)
	}
	sdgText(e, "Classification", a.Classification)
	return e, nil
}

func buildAttributes(parent *etree.Element, as []Attribute) {
	for _, a := range as {
		e := sdgElem(parent, "SectorSpecificAttribute")
		sdgElem(e, "AttributeName").SetText(a.Name)
		sdgElem(e, "AttributeURI").SetText(a.URI)
		sdgElem(e, "AttributeValue").SetText(a.Value)
	}
}

// buildPerson writes p as an element named local (Person, NaturalPerson).
func buildPerson(parent *etree.Element, local string, p *Person) (*etree.Element, error) {
	path := "sdg:" + local
	for _, f := range [...]struct{ name, v string }{
		{"FamilyName", p.FamilyName}, {"GivenName", p.GivenName}, {"DateOfBirth", p.DateOfBirth},
	} {
		if err := need(path+"/sdg:"+f.name, f.v); err != nil {
			return nil, err
		}
	}
	e := sdgElem(parent, local)
	sdgText(e, "LevelOfAssurance", p.LevelOfAssurance)
	if p.Identifier.Value != "" {
		buildIdentifier(e, "Identifier", p.Identifier)
	}
	sdgText(e, "FamilyName", p.FamilyName)
	sdgText(e, "GivenName", p.GivenName)
	sdgText(e, "DateOfBirth", p.DateOfBirth)
	sdgText(e, "BirthName", p.BirthName)
	sdgText(e, "PlaceOfBirth", p.PlaceOfBirth)
	if p.CurrentAddress != nil {
		if err := buildAddress(e, "CurrentAddress", p.CurrentAddress); err != nil {
			return nil, regrep.FieldErr(path, err)
		}
	}
	sdgText(e, "Gender", p.Gender)
	buildAttributes(e, p.SectorSpecific)
	return e, nil
}

func buildLegalPerson(parent *etree.Element, local string, p *LegalPerson) (*etree.Element, error) {
	path := "sdg:" + local
	if err := need(path+"/sdg:LegalName", p.LegalName); err != nil {
		return nil, err
	}
	e := sdgElem(parent, local)
	sdgText(e, "LevelOfAssurance", p.LevelOfAssurance)
	for _, id := range p.Identifiers {
		buildIdentifier(e, "Identifier", id)
	}
	if p.LegalPersonIdentifier.Value != "" {
		buildIdentifier(e, "LegalPersonIdentifier", p.LegalPersonIdentifier)
	}
	sdgText(e, "LegalName", p.LegalName)
	if p.RegisteredAddress != nil {
		if err := buildAddress(e, "RegisteredAddress", p.RegisteredAddress); err != nil {
			return nil, regrep.FieldErr(path, err)
		}
	}
	buildAttributes(e, p.SectorSpecific)
	return e, nil
}

func buildRequirement(parent *etree.Element, r *Requirement, v Version) (*etree.Element, error) {
	if err := need("sdg:Requirement/sdg:Identifier", r.Identifier); err != nil {
		return nil, err
	}
	if len(r.Names) == 0 {
		return nil, regrep.FieldErr("sdg:Requirement/sdg:Name", ErrMissing)
	}
	e := sdgElem(parent, "Requirement")
	sdgElem(e, "Identifier").SetText(r.Identifier)
	buildTexts(e, "Name", r.Names)
	if v.after10() {
		buildTexts(e, "Description", r.Descriptions)
	}
	return e, nil
}

// buildDistribution writes d as local (DistributedAs in a request,
// Distribution in evidence metadata). withLang says whether sdg:Language
// may be written: always for Distribution, after v1.0 for DistributedAs.
func buildDistribution(parent *etree.Element, local string, d *Distribution, withLang bool) error {
	if err := need("sdg:"+local+"/sdg:Format", d.Format); err != nil {
		return err
	}
	e := sdgElem(parent, local)
	sdgElem(e, "Format").SetText(d.Format)
	if withLang {
		for _, l := range d.Languages {
			sdgElem(e, "Language").SetText(l)
		}
	}
	sdgText(e, "ConformsTo", d.ConformsTo)
	sdgText(e, "Transformation", d.Transformation)
	return nil
}

func buildEvidenceType(parent *etree.Element, t *EvidenceType, v Version) (*etree.Element, error) {
	const path = "sdg:DataServiceEvidenceType"
	if err := need(path+"/sdg:Identifier", t.Identifier); err != nil {
		return nil, err
	}
	if err := need(path+"/sdg:EvidenceTypeClassification", t.Classification); err != nil {
		return nil, err
	}
	if len(t.Titles) == 0 {
		return nil, regrep.FieldErr(path+"/sdg:Title", ErrMissing)
	}
	e := sdgElem(parent, "DataServiceEvidenceType")
	sdgElem(e, "Identifier").SetText(t.Identifier)
	sdgElem(e, "EvidenceTypeClassification").SetText(t.Classification)
	buildTexts(e, "Title", t.Titles)
	buildTexts(e, "Description", t.Descriptions)
	if err := buildDistribution(e, "DistributedAs", &t.DistributedAs, v.after10()); err != nil {
		return nil, regrep.FieldErr(path, err)
	}
	return e, nil
}

func buildProviderClassification(parent *etree.Element, c *ProviderClassification) (*etree.Element, error) {
	const path = "sdg:EvidenceProviderClassification"
	if err := need(path+"/sdg:Identifier", c.Identifier); err != nil {
		return nil, err
	}
	e := sdgElem(parent, "EvidenceProviderClassification")
	sdgElem(e, "Identifier").SetText(c.Identifier)
	sdgText(e, "Type", c.Type)
	sdgText(e, "ValueExpression", c.ValueExpression)
	buildTexts(e, "Description", c.Descriptions)
	if sv := c.SupportedValue; sv != nil {
		switch sv.Kind {
		case "StringValue", "DateValue", "BooleanValue":
		default:
			return nil, regrep.FieldErr(path+"/sdg:SupportedValue", fmt.Errorf("%w: kind %q (want StringValue, DateValue or BooleanValue)", ErrInvalid, sv.Kind))
		}
		if len(sv.Values) == 0 {
			return nil, regrep.FieldErr(path+"/sdg:SupportedValue/sdg:"+sv.Kind, ErrMissing)
		}
		se := sdgElem(e, "SupportedValue")
		for _, val := range sv.Values {
			sdgElem(se, sv.Kind).SetText(val)
		}
	}
	return e, nil
}

func buildEvidence(parent *etree.Element, ev *Evidence) (*etree.Element, error) {
	const path = "sdg:Evidence"
	if err := need(path+"/sdg:Identifier", ev.Identifier); err != nil {
		return nil, err
	}
	if (ev.NaturalPerson == nil) == (ev.LegalPerson == nil) {
		return nil, regrep.FieldErr(path+"/sdg:IsAbout", fmt.Errorf("%w: exactly one of NaturalPerson and LegalPerson must be set", ErrInvalid))
	}
	if err := need(path+"/sdg:IsConformantTo/sdg:EvidenceTypeClassification", ev.IsConformantTo.Classification); err != nil {
		return nil, err
	}
	if len(ev.IsConformantTo.Titles) == 0 {
		return nil, regrep.FieldErr(path+"/sdg:IsConformantTo/sdg:Title", ErrMissing)
	}
	if err := need(path+"/sdg:IssuingDate", ev.IssuingDate); err != nil {
		return nil, err
	}
	e := sdgElem(parent, "Evidence")
	sdgElem(e, "Identifier").SetText(ev.Identifier)
	about := sdgElem(e, "IsAbout")
	var err error
	if ev.NaturalPerson != nil {
		_, err = buildPerson(about, "NaturalPerson", ev.NaturalPerson)
	} else {
		_, err = buildLegalPerson(about, "LegalPerson", ev.LegalPerson)
	}
	if err != nil {
		return nil, regrep.FieldErr(path+"/sdg:IsAbout", err)
	}
	if _, err := buildAgent(e, "IssuingAuthority", &ev.IssuingAuthority); err != nil {
		return nil, regrep.FieldErr(path, err)
	}
	ct := sdgElem(e, "IsConformantTo")
	sdgElem(ct, "EvidenceTypeClassification").SetText(ev.IsConformantTo.Classification)
	buildTexts(ct, "Title", ev.IsConformantTo.Titles)
	buildTexts(ct, "Description", ev.IsConformantTo.Descriptions)
	sdgElem(e, "IssuingDate").SetText(ev.IssuingDate)
	if err := buildDistribution(e, "Distribution", &ev.Distribution, true); err != nil {
		return nil, regrep.FieldErr(path, err)
	}
	if p := ev.ValidityPeriod; p != nil {
		if err := need(path+"/sdg:ValidityPeriod/sdg:StartDate", p.StartDate); err != nil {
			return nil, err
		}
		if err := need(path+"/sdg:ValidityPeriod/sdg:EndDate", p.EndDate); err != nil {
			return nil, err
		}
		pe := sdgElem(e, "ValidityPeriod")
		sdgElem(pe, "StartDate").SetText(p.StartDate)
		sdgElem(pe, "EndDate").SetText(p.EndDate)
	}
	return e, nil
}
