package edm

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
)

// text returns the trimmed character data of e.
func text(e *etree.Element) string { return strings.TrimSpace(e.Text()) }

// sdgChildren calls fn for each child element of e in the sdg namespace.
// Elements of other namespaces are skipped; fn decides about unknown sdg
// elements (the readers ignore them, so later minor versions still parse).
func sdgChildren(e *etree.Element, fn func(c *etree.Element) error) error {
	for _, t := range e.Child {
		c, ok := t.(*etree.Element)
		if !ok || c.NamespaceURI() != regrep.NSSDG {
			continue
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// expect checks that e is sdg:local.
func expect(e *etree.Element, local string) error {
	if !regrep.Is(e, regrep.NSSDG, local) {
		return regrep.FieldErr("sdg:"+local, fmt.Errorf("%w: found %s", ErrNamespace, regrep.Name(e)))
	}
	return nil
}

func parseText(e *etree.Element) Text {
	lang, _ := regrep.AttrNS(e, "", "lang")
	return Text{Lang: lang, Value: text(e)}
}

func parseIdentifier(e *etree.Element) Identifier {
	scheme, _ := regrep.AttrNS(e, "", "schemeID")
	return Identifier{Value: text(e), SchemeID: scheme}
}

// once returns a duplicate error when seen is already true.
func once(seen *bool, field string) error {
	if *seen {
		return regrep.FieldErr(field, ErrDuplicate)
	}
	*seen = true
	return nil
}

func parseAddress(e *etree.Element) (*Address, error) {
	a := &Address{}
	err := sdgChildren(e, func(c *etree.Element) error {
		switch c.Tag {
		case "FullAddress":
			a.FullAddress = text(c)
		case "LocatorDesignator":
			a.LocatorDesignator = text(c)
		case "PostCode":
			a.PostCode = text(c)
		case "PostCityName":
			a.PostCityName = text(c)
		case "Thoroughfare":
			a.Thoroughfare = text(c)
		case "AdminUnitLevel1":
			a.AdminUnitLevel1 = text(c)
		case "AdminUnitLevel2":
			a.AdminUnitLevel2 = text(c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if a.AdminUnitLevel1 == "" {
		return nil, regrep.FieldErr("sdg:"+e.Tag+"/sdg:AdminUnitLevel1", ErrMissing)
	}
	return a, nil
}

// parseAgent reads an sdg:Agent or an AgentType element such as
// sdg:IssuingAuthority.
func parseAgent(e *etree.Element) (Agent, error) {
	var a Agent
	path := "sdg:" + e.Tag
	var seenID bool
	err := sdgChildren(e, func(c *etree.Element) error {
		switch c.Tag {
		case "Identifier":
			if err := once(&seenID, path+"/sdg:Identifier"); err != nil {
				return err
			}
			a.Identifier = parseIdentifier(c)
		case "Name":
			a.Names = append(a.Names, parseText(c))
		case "Address":
			addr, err := parseAddress(c)
			if err != nil {
				return regrep.FieldErr(path, err)
			}
			a.Address = addr
		case "Jurisdiction":
			j := &Jurisdiction{}
			_ = sdgChildren(c, func(l *etree.Element) error {
				switch l.Tag {
				case "AdminUnitLevel1":
					j.AdminUnitLevel1 = text(l)
				case "AdminUnitLevel2":
					j.AdminUnitLevel2 = text(l)
				case "AdminUnitLevel3":
					j.AdminUnitLevel3 = text(l)
				}
				return nil
			})
			if j.AdminUnitLevel1 == "" {
				return regrep.FieldErr(path+"/sdg:Jurisdiction/sdg:AdminUnitLevel1", ErrMissing)
			}
			a.Jurisdiction = j
		case "Classification":
			a.Classification = text(c)
		}
		return nil
	})
	if err != nil {
		return Agent{}, err
	}
	if a.Identifier.Value == "" {
		return Agent{}, regrep.FieldErr(path+"/sdg:Identifier", ErrMissing)
	}
	if len(a.Names) == 0 {
		return Agent{}, regrep.FieldErr(path+"/sdg:Name", ErrMissing)
	}
	return a, nil
}

func parseAttribute(e *etree.Element) Attribute {
	var a Attribute
	_ = sdgChildren(e, func(c *etree.Element) error {
		switch c.Tag {
		case "AttributeName":
			a.Name = text(c)
		case "AttributeURI":
			a.URI = text(c)
		case "AttributeValue":
			a.Value = text(c)
		}
		return nil
	})
	return a
}

// parsePerson reads an sdg:Person or sdg:NaturalPerson.
func parsePerson(e *etree.Element) (*Person, error) {
	p := &Person{}
	path := "sdg:" + e.Tag
	err := sdgChildren(e, func(c *etree.Element) error {
		switch c.Tag {
		case "LevelOfAssurance":
			p.LevelOfAssurance = text(c)
		case "Identifier":
			p.Identifier = parseIdentifier(c)
		case "FamilyName":
			p.FamilyName = text(c)
		case "GivenName":
			p.GivenName = text(c)
		case "DateOfBirth":
			p.DateOfBirth = text(c)
		case "BirthName":
			p.BirthName = text(c)
		case "PlaceOfBirth":
			p.PlaceOfBirth = text(c)
		case "CurrentAddress":
			a, err := parseAddress(c)
			if err != nil {
				return regrep.FieldErr(path, err)
			}
			p.CurrentAddress = a
		case "Gender":
			p.Gender = text(c)
		case "SectorSpecificAttribute":
			p.SectorSpecific = append(p.SectorSpecific, parseAttribute(c))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, f := range [...]struct{ name, v string }{
		{"FamilyName", p.FamilyName}, {"GivenName", p.GivenName}, {"DateOfBirth", p.DateOfBirth},
	} {
		if f.v == "" {
			return nil, regrep.FieldErr(path+"/sdg:"+f.name, ErrMissing)
		}
	}
	return p, nil
}

func parseLegalPerson(e *etree.Element) (*LegalPerson, error) {
	p := &LegalPerson{}
	path := "sdg:" + e.Tag
	err := sdgChildren(e, func(c *etree.Element) error {
		switch c.Tag {
		case "LevelOfAssurance":
			p.LevelOfAssurance = text(c)
		case "Identifier":
			p.Identifiers = append(p.Identifiers, parseIdentifier(c))
		case "LegalPersonIdentifier":
			p.LegalPersonIdentifier = parseIdentifier(c)
		case "LegalName":
			p.LegalName = text(c)
		case "RegisteredAddress":
			a, err := parseAddress(c)
			if err != nil {
				return regrep.FieldErr(path, err)
			}
			p.RegisteredAddress = a
		case "SectorSpecificAttribute":
			p.SectorSpecific = append(p.SectorSpecific, parseAttribute(c))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if p.LegalName == "" {
		return nil, regrep.FieldErr(path+"/sdg:LegalName", ErrMissing)
	}
	return p, nil
}

func parseRequirement(e *etree.Element) (Requirement, error) {
	if err := expect(e, "Requirement"); err != nil {
		return Requirement{}, err
	}
	var r Requirement
	_ = sdgChildren(e, func(c *etree.Element) error {
		switch c.Tag {
		case "Identifier":
			r.Identifier = text(c)
		case "Name":
			r.Names = append(r.Names, parseText(c))
		case "Description":
			r.Descriptions = append(r.Descriptions, parseText(c))
		}
		return nil
	})
	if r.Identifier == "" {
		return Requirement{}, regrep.FieldErr("sdg:Requirement/sdg:Identifier", ErrMissing)
	}
	if len(r.Names) == 0 {
		return Requirement{}, regrep.FieldErr("sdg:Requirement/sdg:Name", ErrMissing)
	}
	return r, nil
}

func parseDistribution(e *etree.Element) (Distribution, error) {
	var d Distribution
	_ = sdgChildren(e, func(c *etree.Element) error {
		switch c.Tag {
		case "Format":
			d.Format = text(c)
		case "Language":
			d.Languages = append(d.Languages, text(c))
		case "ConformsTo":
			d.ConformsTo = text(c)
		case "Transformation":
			d.Transformation = text(c)
		}
		return nil
	})
	if d.Format == "" {
		return Distribution{}, regrep.FieldErr("sdg:"+e.Tag+"/sdg:Format", ErrMissing)
	}
	return d, nil
}

func parseEvidenceType(e *etree.Element) (EvidenceType, error) {
	const path = "sdg:DataServiceEvidenceType"
	if err := expect(e, "DataServiceEvidenceType"); err != nil {
		return EvidenceType{}, err
	}
	var t EvidenceType
	var seenDist bool
	err := sdgChildren(e, func(c *etree.Element) error {
		switch c.Tag {
		case "Identifier":
			t.Identifier = text(c)
		case "EvidenceTypeClassification":
			t.Classification = text(c)
		case "Title":
			t.Titles = append(t.Titles, parseText(c))
		case "Description":
			t.Descriptions = append(t.Descriptions, parseText(c))
		case "DistributedAs":
			if err := once(&seenDist, path+"/sdg:DistributedAs"); err != nil {
				return err
			}
			d, err := parseDistribution(c)
			if err != nil {
				return regrep.FieldErr(path, err)
			}
			t.DistributedAs = d
		}
		return nil
	})
	if err != nil {
		return EvidenceType{}, err
	}
	switch {
	case t.Identifier == "":
		return EvidenceType{}, regrep.FieldErr(path+"/sdg:Identifier", ErrMissing)
	case t.Classification == "":
		return EvidenceType{}, regrep.FieldErr(path+"/sdg:EvidenceTypeClassification", ErrMissing)
	case len(t.Titles) == 0:
		return EvidenceType{}, regrep.FieldErr(path+"/sdg:Title", ErrMissing)
	case !seenDist:
		return EvidenceType{}, regrep.FieldErr(path+"/sdg:DistributedAs", ErrMissing)
	}
	return t, nil
}

func parseProviderClassification(e *etree.Element) (ProviderClassification, error) {
	const path = "sdg:EvidenceProviderClassification"
	if err := expect(e, "EvidenceProviderClassification"); err != nil {
		return ProviderClassification{}, err
	}
	var pc ProviderClassification
	err := sdgChildren(e, func(c *etree.Element) error {
		switch c.Tag {
		case "Identifier":
			pc.Identifier = text(c)
		case "Type":
			pc.Type = text(c)
		case "ValueExpression":
			pc.ValueExpression = text(c)
		case "Description":
			pc.Descriptions = append(pc.Descriptions, parseText(c))
		case "SupportedValue":
			sv := &SupportedValue{}
			err := sdgChildren(c, func(v *etree.Element) error {
				switch v.Tag {
				case "StringValue", "DateValue", "BooleanValue":
				default:
					return nil
				}
				if sv.Kind != "" && sv.Kind != v.Tag {
					return regrep.FieldErr(path+"/sdg:SupportedValue", fmt.Errorf("%w: mixes %s and %s", ErrInvalid, sv.Kind, v.Tag))
				}
				sv.Kind = v.Tag
				sv.Values = append(sv.Values, text(v))
				return nil
			})
			if err != nil {
				return err
			}
			if sv.Kind == "" {
				return regrep.FieldErr(path+"/sdg:SupportedValue", ErrMissing)
			}
			pc.SupportedValue = sv
		}
		return nil
	})
	if err != nil {
		return ProviderClassification{}, err
	}
	if pc.Identifier == "" {
		return ProviderClassification{}, regrep.FieldErr(path+"/sdg:Identifier", ErrMissing)
	}
	return pc, nil
}

func parseEvidence(e *etree.Element) (Evidence, error) {
	const path = "sdg:Evidence"
	if err := expect(e, "Evidence"); err != nil {
		return Evidence{}, err
	}
	var ev Evidence
	var seenAbout, seenAuth, seenConf, seenDist bool
	err := sdgChildren(e, func(c *etree.Element) error {
		switch c.Tag {
		case "Identifier":
			ev.Identifier = text(c)
		case "IsAbout":
			seenAbout = true
			return sdgChildren(c, func(s *etree.Element) error {
				if ev.NaturalPerson != nil || ev.LegalPerson != nil {
					return regrep.FieldErr(path+"/sdg:IsAbout", fmt.Errorf("%w: more than one subject", ErrDuplicate))
				}
				var err error
				switch s.Tag {
				case "NaturalPerson":
					ev.NaturalPerson, err = parsePerson(s)
				case "LegalPerson":
					ev.LegalPerson, err = parseLegalPerson(s)
				}
				if err != nil {
					return regrep.FieldErr(path+"/sdg:IsAbout", err)
				}
				return nil
			})
		case "IssuingAuthority":
			seenAuth = true
			a, err := parseAgent(c)
			if err != nil {
				return regrep.FieldErr(path, err)
			}
			ev.IssuingAuthority = a
		case "IsConformantTo":
			seenConf = true
			_ = sdgChildren(c, func(s *etree.Element) error {
				switch s.Tag {
				case "EvidenceTypeClassification":
					ev.IsConformantTo.Classification = text(s)
				case "Title":
					ev.IsConformantTo.Titles = append(ev.IsConformantTo.Titles, parseText(s))
				case "Description":
					ev.IsConformantTo.Descriptions = append(ev.IsConformantTo.Descriptions, parseText(s))
				}
				return nil
			})
		case "IssuingDate":
			ev.IssuingDate = text(c)
		case "Distribution":
			seenDist = true
			d, err := parseDistribution(c)
			if err != nil {
				return regrep.FieldErr(path, err)
			}
			ev.Distribution = d
		case "ValidityPeriod":
			p := &Period{}
			_ = sdgChildren(c, func(s *etree.Element) error {
				switch s.Tag {
				case "StartDate":
					p.StartDate = text(s)
				case "EndDate":
					p.EndDate = text(s)
				}
				return nil
			})
			ev.ValidityPeriod = p
		}
		return nil
	})
	if err != nil {
		return Evidence{}, err
	}
	switch {
	case ev.Identifier == "":
		return Evidence{}, regrep.FieldErr(path+"/sdg:Identifier", ErrMissing)
	case !seenAbout || (ev.NaturalPerson == nil && ev.LegalPerson == nil):
		return Evidence{}, regrep.FieldErr(path+"/sdg:IsAbout", ErrMissing)
	case !seenAuth:
		return Evidence{}, regrep.FieldErr(path+"/sdg:IssuingAuthority", ErrMissing)
	case !seenConf || ev.IsConformantTo.Classification == "":
		return Evidence{}, regrep.FieldErr(path+"/sdg:IsConformantTo/sdg:EvidenceTypeClassification", ErrMissing)
	case len(ev.IsConformantTo.Titles) == 0:
		return Evidence{}, regrep.FieldErr(path+"/sdg:IsConformantTo/sdg:Title", ErrMissing)
	case ev.ValidityPeriod != nil && (ev.ValidityPeriod.StartDate == "" || ev.ValidityPeriod.EndDate == ""):
		return Evidence{}, regrep.FieldErr(path+"/sdg:ValidityPeriod", fmt.Errorf("%w: StartDate and EndDate", ErrMissing))
	case ev.IssuingDate == "":
		return Evidence{}, regrep.FieldErr(path+"/sdg:IssuingDate", ErrMissing)
	case !seenDist:
		return Evidence{}, regrep.FieldErr(path+"/sdg:Distribution", ErrMissing)
	}
	return ev, nil
}
