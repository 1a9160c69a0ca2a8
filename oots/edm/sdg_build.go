package edm

import (
	"fmt"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
)

// The builders take full element names ("sdg:Name") and build error paths
// only when they fail: string concatenation per element was a fifth of the
// build time.

// missing returns a FieldError saying field is absent.
func missing(field string) error { return regrep.FieldErr(field, ErrMissing) }

// sdgElem creates a child named tag.
func sdgElem(parent *etree.Element, tag string) *etree.Element {
	return parent.CreateElement(tag)
}

// sdgText creates a child named tag with text, unless text is empty.
func sdgText(parent *etree.Element, tag, text string) {
	if text != "" {
		parent.CreateElement(tag).SetText(text)
	}
}

func buildTexts(parent *etree.Element, tag string, ts []Text) {
	for _, t := range ts {
		e := parent.CreateElement(tag)
		if t.Lang != "" {
			e.CreateAttr("lang", t.Lang)
		}
		e.SetText(t.Value)
	}
}

func buildIdentifier(parent *etree.Element, tag string, id Identifier) {
	e := parent.CreateElement(tag)
	if id.SchemeID != "" {
		e.CreateAttr("schemeID", id.SchemeID)
	}
	e.SetText(id.Value)
}

func buildAddress(parent *etree.Element, tag string, a *Address) error {
	if a.AdminUnitLevel1 == "" {
		return missing(tag + "/sdg:AdminUnitLevel1")
	}
	e := parent.CreateElement(tag)
	sdgText(e, "sdg:FullAddress", a.FullAddress)
	sdgText(e, "sdg:LocatorDesignator", a.LocatorDesignator)
	sdgText(e, "sdg:PostCode", a.PostCode)
	sdgText(e, "sdg:PostCityName", a.PostCityName)
	sdgText(e, "sdg:Thoroughfare", a.Thoroughfare)
	sdgText(e, "sdg:AdminUnitLevel1", a.AdminUnitLevel1)
	sdgText(e, "sdg:AdminUnitLevel2", a.AdminUnitLevel2)
	return nil
}

// buildAgent writes a as an element named tag (sdg:Agent, sdg:IssuingAuthority).
func buildAgent(parent *etree.Element, tag string, a *Agent) (*etree.Element, error) {
	path := tag
	if a.Identifier.Value == "" {
		return nil, missing(path + "/sdg:Identifier")
	}
	if len(a.Names) == 0 {
		return nil, regrep.FieldErr(path+"/sdg:Name", ErrMissing)
	}
	e := parent.CreateElement(tag)
	buildIdentifier(e, "sdg:Identifier", a.Identifier)
	buildTexts(e, "sdg:Name", a.Names)
	if a.Address != nil {
		if err := buildAddress(e, "sdg:Address", a.Address); err != nil {
			return nil, regrep.FieldErr(path, err)
		}
	}
	if j := a.Jurisdiction; j != nil {
		if j.AdminUnitLevel1 == "" {
			return nil, missing(path + "/sdg:Jurisdiction/sdg:AdminUnitLevel1")
		}
		je := sdgElem(e, "sdg:Jurisdiction")
		sdgText(je, "sdg:AdminUnitLevel1", j.AdminUnitLevel1)
		sdgText(je, "sdg:AdminUnitLevel2", j.AdminUnitLevel2)
		sdgText(je, "sdg:AdminUnitLevel3", j.AdminUnitLevel3)
	}
	sdgText(e, "sdg:Classification", a.Classification)
	return e, nil
}

func buildAttributes(parent *etree.Element, as []Attribute) {
	for _, a := range as {
		e := sdgElem(parent, "sdg:SectorSpecificAttribute")
		sdgElem(e, "sdg:AttributeName").SetText(a.Name)
		sdgElem(e, "sdg:AttributeURI").SetText(a.URI)
		sdgElem(e, "sdg:AttributeValue").SetText(a.Value)
	}
}

// buildPerson writes p as an element named tag (sdg:Person, sdg:NaturalPerson).
func buildPerson(parent *etree.Element, tag string, p *Person) (*etree.Element, error) {
	path := tag
	for _, f := range [...]struct{ name, v string }{
		{"FamilyName", p.FamilyName}, {"GivenName", p.GivenName}, {"DateOfBirth", p.DateOfBirth},
	} {
		if f.v == "" {
			return nil, missing(path + "/sdg:" + f.name)
		}
	}
	e := parent.CreateElement(tag)
	sdgText(e, "sdg:LevelOfAssurance", p.LevelOfAssurance)
	if p.Identifier.Value != "" {
		buildIdentifier(e, "sdg:Identifier", p.Identifier)
	}
	sdgText(e, "sdg:FamilyName", p.FamilyName)
	sdgText(e, "sdg:GivenName", p.GivenName)
	sdgText(e, "sdg:DateOfBirth", p.DateOfBirth)
	sdgText(e, "sdg:BirthName", p.BirthName)
	sdgText(e, "sdg:PlaceOfBirth", p.PlaceOfBirth)
	if p.CurrentAddress != nil {
		if err := buildAddress(e, "sdg:CurrentAddress", p.CurrentAddress); err != nil {
			return nil, regrep.FieldErr(path, err)
		}
	}
	sdgText(e, "sdg:Gender", p.Gender)
	buildAttributes(e, p.SectorSpecific)
	return e, nil
}

func buildLegalPerson(parent *etree.Element, tag string, p *LegalPerson) (*etree.Element, error) {
	path := tag
	if p.LegalName == "" {
		return nil, missing(path + "/sdg:LegalName")
	}
	e := parent.CreateElement(tag)
	sdgText(e, "sdg:LevelOfAssurance", p.LevelOfAssurance)
	for _, id := range p.Identifiers {
		buildIdentifier(e, "sdg:Identifier", id)
	}
	if p.LegalPersonIdentifier.Value != "" {
		buildIdentifier(e, "sdg:LegalPersonIdentifier", p.LegalPersonIdentifier)
	}
	sdgText(e, "sdg:LegalName", p.LegalName)
	if p.RegisteredAddress != nil {
		if err := buildAddress(e, "sdg:RegisteredAddress", p.RegisteredAddress); err != nil {
			return nil, regrep.FieldErr(path, err)
		}
	}
	buildAttributes(e, p.SectorSpecific)
	return e, nil
}

func buildRequirement(parent *etree.Element, r *Requirement, v Version) (*etree.Element, error) {
	if r.Identifier == "" {
		return nil, missing("sdg:Requirement/sdg:Identifier")
	}
	if len(r.Names) == 0 {
		return nil, regrep.FieldErr("sdg:Requirement/sdg:Name", ErrMissing)
	}
	e := sdgElem(parent, "sdg:Requirement")
	sdgElem(e, "sdg:Identifier").SetText(r.Identifier)
	buildTexts(e, "sdg:Name", r.Names)
	if v.after10() {
		buildTexts(e, "sdg:Description", r.Descriptions)
	}
	return e, nil
}

// buildDistribution writes d as tag (sdg:DistributedAs in a request,
// Distribution in evidence metadata). withLang says whether sdg:Language
// may be written: always for Distribution, after v1.0 for DistributedAs.
func buildDistribution(parent *etree.Element, tag string, d *Distribution, withLang bool) error {
	if d.Format == "" {
		return missing(tag + "/sdg:Format")
	}
	e := parent.CreateElement(tag)
	sdgElem(e, "sdg:Format").SetText(d.Format)
	if withLang {
		for _, l := range d.Languages {
			sdgElem(e, "sdg:Language").SetText(l)
		}
	}
	sdgText(e, "sdg:ConformsTo", d.ConformsTo)
	sdgText(e, "sdg:Transformation", d.Transformation)
	return nil
}

func buildEvidenceType(parent *etree.Element, t *EvidenceType, v Version) (*etree.Element, error) {
	const path = "sdg:DataServiceEvidenceType"
	if t.Identifier == "" {
		return nil, missing(path + "/sdg:Identifier")
	}
	if t.Classification == "" {
		return nil, missing(path + "/sdg:EvidenceTypeClassification")
	}
	if len(t.Titles) == 0 {
		return nil, regrep.FieldErr(path+"/sdg:Title", ErrMissing)
	}
	e := sdgElem(parent, "sdg:DataServiceEvidenceType")
	sdgElem(e, "sdg:Identifier").SetText(t.Identifier)
	sdgElem(e, "sdg:EvidenceTypeClassification").SetText(t.Classification)
	buildTexts(e, "sdg:Title", t.Titles)
	buildTexts(e, "sdg:Description", t.Descriptions)
	if err := buildDistribution(e, "sdg:DistributedAs", &t.DistributedAs, v.after10()); err != nil {
		return nil, regrep.FieldErr(path, err)
	}
	return e, nil
}

func buildProviderClassification(parent *etree.Element, c *ProviderClassification) (*etree.Element, error) {
	const path = "sdg:EvidenceProviderClassification"
	if c.Identifier == "" {
		return nil, missing(path + "/sdg:Identifier")
	}
	e := sdgElem(parent, "sdg:EvidenceProviderClassification")
	sdgElem(e, "sdg:Identifier").SetText(c.Identifier)
	sdgText(e, "sdg:Type", c.Type)
	sdgText(e, "sdg:ValueExpression", c.ValueExpression)
	buildTexts(e, "sdg:Description", c.Descriptions)
	if sv := c.SupportedValue; sv != nil {
		switch sv.Kind {
		case "StringValue", "DateValue", "BooleanValue":
		default:
			return nil, regrep.FieldErr(path+"/sdg:SupportedValue", fmt.Errorf("%w: kind %q (want StringValue, DateValue or BooleanValue)", ErrInvalid, sv.Kind))
		}
		if len(sv.Values) == 0 {
			return nil, regrep.FieldErr(path+"/sdg:SupportedValue/sdg:"+sv.Kind, ErrMissing)
		}
		se := sdgElem(e, "sdg:SupportedValue")
		for _, val := range sv.Values {
			se.CreateElement("sdg:" + sv.Kind).SetText(val)
		}
	}
	return e, nil
}

func buildEvidence(parent *etree.Element, ev *Evidence) (*etree.Element, error) {
	const path = "sdg:Evidence"
	if ev.Identifier == "" {
		return nil, missing(path + "/sdg:Identifier")
	}
	if (ev.NaturalPerson == nil) == (ev.LegalPerson == nil) {
		return nil, regrep.FieldErr(path+"/sdg:IsAbout", fmt.Errorf("%w: exactly one of NaturalPerson and LegalPerson must be set", ErrInvalid))
	}
	if ev.IsConformantTo.Classification == "" {
		return nil, missing(path + "/sdg:IsConformantTo/sdg:EvidenceTypeClassification")
	}
	if len(ev.IsConformantTo.Titles) == 0 {
		return nil, regrep.FieldErr(path+"/sdg:IsConformantTo/sdg:Title", ErrMissing)
	}
	if ev.IssuingDate == "" {
		return nil, missing(path + "/sdg:IssuingDate")
	}
	e := sdgElem(parent, "sdg:Evidence")
	sdgElem(e, "sdg:Identifier").SetText(ev.Identifier)
	about := sdgElem(e, "sdg:IsAbout")
	var err error
	if ev.NaturalPerson != nil {
		_, err = buildPerson(about, "sdg:NaturalPerson", ev.NaturalPerson)
	} else {
		_, err = buildLegalPerson(about, "sdg:LegalPerson", ev.LegalPerson)
	}
	if err != nil {
		return nil, regrep.FieldErr(path+"/sdg:IsAbout", err)
	}
	if _, err := buildAgent(e, "sdg:IssuingAuthority", &ev.IssuingAuthority); err != nil {
		return nil, regrep.FieldErr(path, err)
	}
	ct := sdgElem(e, "sdg:IsConformantTo")
	sdgElem(ct, "sdg:EvidenceTypeClassification").SetText(ev.IsConformantTo.Classification)
	buildTexts(ct, "sdg:Title", ev.IsConformantTo.Titles)
	buildTexts(ct, "sdg:Description", ev.IsConformantTo.Descriptions)
	sdgElem(e, "sdg:IssuingDate").SetText(ev.IssuingDate)
	if err := buildDistribution(e, "sdg:Distribution", &ev.Distribution, true); err != nil {
		return nil, regrep.FieldErr(path, err)
	}
	if p := ev.ValidityPeriod; p != nil {
		if p.StartDate == "" {
			return nil, missing(path + "/sdg:ValidityPeriod/sdg:StartDate")
		}
		if p.EndDate == "" {
			return nil, missing(path + "/sdg:ValidityPeriod/sdg:EndDate")
		}
		pe := sdgElem(e, "sdg:ValidityPeriod")
		sdgElem(pe, "sdg:StartDate").SetText(p.StartDate)
		sdgElem(pe, "sdg:EndDate").SetText(p.EndDate)
	}
	return e, nil
}
