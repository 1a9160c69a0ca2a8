package commonsvc

import (
	"fmt"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/regrep"
)

// The writers below produce OOTS v1.0 (oots-cs v1) answers: elements in the
// order of SDG-GenericMetadataProfile-v1.0.0.xsd, v2.0-only elements left
// out.

// newAnswer starts a query:QueryResponse document with status.
func newAnswer(status string) (*etree.Document, *etree.Element) {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	root := doc.CreateElement("query:QueryResponse")
	regrep.DeclareStandard(root)
	root.CreateAttr("status", status)
	return doc, root
}

func serialize(doc *etree.Document) ([]byte, error) {
	doc.Indent(2)
	b, err := doc.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("serializing answer: %w", err)
	}
	return b, nil
}

// registryObject appends a rim:RegistryObject with id holding el in the
// AnyValueType slot called slot.
func registryObject(list *etree.Element, id, slot string, el *etree.Element) {
	ro := list.CreateElement("rim:RegistryObject")
	ro.CreateAttr("id", "urn:uuid:"+id)
	regrep.NewSlot(slot, regrep.Any(el)).Build(ro)
}

// EncodeRequirements writes an Evidence Broker success answer holding reqs
// (for either EB query: lists are written when present). key makes the
// registry object ids stable for a given query.
func EncodeRequirements(reqs []Requirement, key string) ([]byte, error) {
	doc, root := newAnswer(regrep.StatusSuccess)
	list := root.CreateElement("rim:RegistryObjectList")
	for _, r := range reqs {
		registryObject(list, demoUUID("registry-object", key, r.ID), "Requirement", requirementElement(r))
	}
	return serialize(doc)
}

// EncodeDataServices writes a Data Service Directory success answer in the
// v1.0 format. Its access services must conform to oots-edm:v1.0
// (R-DSD-RESP-C015): the server gives others only in v2.0 answers.
func EncodeDataServices(ts []DataServiceEvidenceType, key string) ([]byte, error) {
	return encodeDataServices(ts, key, false)
}

// EncodeDataServicesV2 writes a Data Service Directory success answer in
// the v2.0 format (oots-cs:v2.0, as the EC Common Services answer): the
// SpecificationIdentifier slot and the access services' names.
func EncodeDataServicesV2(ts []DataServiceEvidenceType, key string) ([]byte, error) {
	return encodeDataServices(ts, key, true)
}

func encodeDataServices(ts []DataServiceEvidenceType, key string, v2 bool) ([]byte, error) {
	doc, root := newAnswer(regrep.StatusSuccess)
	if v2 {
		regrep.NewSlot("SpecificationIdentifier", regrep.String(SpecificationV2)).Build(root)
	}
	list := root.CreateElement("rim:RegistryObjectList")
	for _, t := range ts {
		registryObject(list, demoUUID("registry-object", key, t.ID), "DataServiceEvidenceType", dataServiceEvidenceTypeElement(t, true, v2))
	}
	return serialize(doc)
}

// EncodeQueryError writes an error answer for e.
func EncodeQueryError(e *QueryError) ([]byte, error) {
	doc, root := newAnswer(regrep.StatusFailure)
	x := regrep.Exception{Type: e.Type, Severity: e.Severity, Message: e.Message, Detail: e.Detail, Code: string(e.Code)}
	if x.Severity == "" {
		x.Severity = regrep.SeverityError
	}
	x.Build(root)
	return serialize(doc)
}

// EncodeAttributesRequired writes a DSD:ERR:0005 answer, one exception per
// request.
func EncodeAttributesRequired(e *AttributesRequiredError) ([]byte, error) {
	doc, root := newAnswer(regrep.StatusFailure)
	for _, r := range e.Requests {
		x := regrep.Exception{Type: regrep.ObjectNotFoundException, Severity: SeverityAdditionalInput,
			Message: r.Message, Detail: r.Detail, Code: string(DSDAttributesRequired)}
		if r.EvidenceType != nil {
			x.Slots = append(x.Slots, regrep.NewSlot("DataServiceEvidenceType", regrep.Any(dataServiceEvidenceTypeElement(*r.EvidenceType, false, false))))
		}
		if r.Jurisdiction != nil {
			x.Slots = append(x.Slots, regrep.NewSlot("JurisdictionDetermination", regrep.Any(jurisdictionDeterminationElement(*r.Jurisdiction))))
		}
		if len(r.Classifications) > 0 {
			var elems []regrep.Value
			for _, c := range r.Classifications {
				elems = append(elems, regrep.Any(conceptElement("sdg:EvidenceProviderClassification", c)))
			}
			x.Slots = append(x.Slots, regrep.NewSlot("UserRequestedClassificationConcepts", regrep.Collection(regrep.CollectionSet, elems...)))
		}
		x.Build(root)
	}
	return serialize(doc)
}

func sdgText(parent *etree.Element, tag, value string) {
	if value != "" {
		parent.CreateElement(tag).SetText(value)
	}
}

func sdgTexts(parent *etree.Element, tag string, ts Texts) {
	for _, t := range ts {
		e := parent.CreateElement(tag)
		if t.Lang != "" { // a text read without lang is written without
			e.CreateAttr("lang", t.Lang)
		}
		e.SetText(t.Value)
	}
}

func jurisdictionElement(parent *etree.Element, j Jurisdiction) {
	if j == (Jurisdiction{}) {
		return
	}
	e := parent.CreateElement("sdg:Jurisdiction")
	e.CreateElement("sdg:AdminUnitLevel1").SetText(j.Country)
	sdgText(e, "sdg:AdminUnitLevel2", j.AdminLevel2)
	sdgText(e, "sdg:AdminUnitLevel3", j.AdminLevel3)
}

func requirementElement(r Requirement) *etree.Element {
	e := etree.NewElement("sdg:Requirement")
	e.CreateElement("sdg:Identifier").SetText(r.ID)
	sdgTexts(e, "sdg:Name", r.Names)
	for _, f := range r.ReferenceFrameworks {
		fe := e.CreateElement("sdg:ReferenceFramework")
		fe.CreateElement("sdg:Identifier").SetText(f.ID)
		sdgTexts(fe, "sdg:Title", f.Titles)
		sdgTexts(fe, "sdg:Description", f.Descriptions)
		for _, p := range f.Procedures {
			fe.CreateElement("sdg:RelatedTo").CreateElement("sdg:Identifier").SetText(p)
		}
		jurisdictionElement(fe, f.Jurisdiction)
	}
	for _, l := range r.EvidenceTypeLists {
		le := e.CreateElement("sdg:EvidenceTypeList")
		le.CreateElement("sdg:Identifier").SetText(l.ID)
		sdgTexts(le, "sdg:Name", l.Names)
		for _, t := range l.EvidenceTypes {
			te := le.CreateElement("sdg:EvidenceType")
			te.CreateElement("sdg:EvidenceTypeClassification").SetText(t.Classification)
			sdgTexts(te, "sdg:Title", t.Titles)
			sdgTexts(te, "sdg:Description", t.Descriptions)
			for _, j := range t.Jurisdictions {
				jurisdictionElement(te, j)
			}
		}
	}
	return e
}

func dataServiceEvidenceTypeElement(t DataServiceEvidenceType, full, v2 bool) *etree.Element {
	e := etree.NewElement("sdg:DataServiceEvidenceType")
	e.CreateElement("sdg:Identifier").SetText(t.ID)
	e.CreateElement("sdg:EvidenceTypeClassification").SetText(t.Classification)
	sdgTexts(e, "sdg:Title", t.Titles)
	sdgTexts(e, "sdg:Description", t.Descriptions)
	for _, d := range t.Distributions {
		de := e.CreateElement("sdg:DistributedAs")
		de.CreateElement("sdg:Format").SetText(d.Format)
		sdgText(de, "sdg:ConformsTo", d.ConformsTo)
		sdgText(de, "sdg:Transformation", d.Transformation)
	}
	if !full {
		return e
	}
	for _, s := range t.Services {
		se := e.CreateElement("sdg:AccessService")
		identifierElement(se, s.PartyID)
		if v2 {
			sdgTexts(se, "sdg:Name", s.Names)
		}
		se.CreateElement("sdg:ConformsTo").SetText(s.EDMVersion)
		p := s.Provider
		pe := se.CreateElement("sdg:Publisher")
		identifierElement(pe, p.ID)
		sdgTexts(pe, "sdg:Name", p.Names)
		ae := pe.CreateElement("sdg:Address")
		a := p.Address
		sdgText(ae, "sdg:FullAddress", a.FullAddress)
		sdgText(ae, "sdg:LocatorDesignator", a.LocatorDesignator)
		sdgText(ae, "sdg:PostCode", a.PostCode)
		sdgText(ae, "sdg:PostCityName", a.PostCityName)
		sdgText(ae, "sdg:Thoroughfare", a.Thoroughfare)
		ae.CreateElement("sdg:AdminUnitLevel1").SetText(a.Country)
		sdgText(ae, "sdg:AdminUnitLevel2", a.AdminLevel2)
		jurisdictionElement(pe, p.Jurisdiction)
		for _, c := range p.Classifications {
			pe.AddChild(conceptElement("sdg:ClassificationConcept", c))
		}
	}
	sdgText(e, "sdg:AuthenticationLevelOfAssurance", t.LevelOfAssurance)
	if t.JurisdictionDetermination != nil {
		e.AddChild(jurisdictionDeterminationElement(*t.JurisdictionDetermination))
	}
	for _, c := range t.Classifications {
		e.AddChild(conceptElement("sdg:EvidenceProviderClassification", c))
	}
	return e
}

func identifierElement(parent *etree.Element, id PartyID) {
	e := parent.CreateElement("sdg:Identifier")
	if id.Type != "" {
		e.CreateAttr("schemeID", id.Type)
	}
	e.SetText(id.Value)
}

func conceptElement(tag string, c ClassificationConcept) *etree.Element {
	e := etree.NewElement(tag)
	e.CreateElement("sdg:Identifier").SetText(c.ID)
	sdgText(e, "sdg:Type", c.Type)
	sdgText(e, "sdg:ValueExpression", c.ValueExpression)
	sdgTexts(e, "sdg:Description", c.Descriptions)
	if len(c.SupportedValues) > 0 {
		sv := e.CreateElement("sdg:SupportedValue")
		for _, v := range c.SupportedValues {
			sv.CreateElement("sdg:StringValue").SetText(v)
		}
	}
	return e
}

func jurisdictionDeterminationElement(j JurisdictionDetermination) *etree.Element {
	e := etree.NewElement("sdg:EvidenceProviderJurisdictionDetermination")
	e.CreateElement("sdg:JurisdictionContextId").SetText(j.ContextID)
	sdgTexts(e, "sdg:JurisdictionContext", j.Contexts)
	e.CreateElement("sdg:JurisdictionLevel").SetText(j.Level)
	return e
}
