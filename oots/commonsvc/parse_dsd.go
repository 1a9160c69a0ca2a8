package commonsvc

import (
	"fmt"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/regrep"
)

// ParseDataServices reads a Data Service Directory answer to "Find Data
// Services" (v1.0 or v2.0). An error answer is returned as a *QueryError,
// or as an *AttributesRequiredError for DSD:ERR:0005.
func ParseDataServices(data []byte) ([]DataServiceEvidenceType, error) {
	a, err := readAnswer(data, DataServiceDirectory, "DataServiceEvidenceType")
	if err != nil {
		return nil, err
	}
	out := make([]DataServiceEvidenceType, 0, len(a.objects))
	for i, e := range a.objects {
		t, err := readDataServiceEvidenceType(e)
		if err != nil {
			return nil, fmt.Errorf("rim:RegistryObject[%d]: %w", i+1, err)
		}
		out = append(out, t)
	}
	return out, nil
}

func readDataServiceEvidenceType(e *etree.Element) (DataServiceEvidenceType, error) {
	if !regrep.Is(e, regrep.NSSDG, "DataServiceEvidenceType") {
		return DataServiceEvidenceType{}, regrep.FieldErr("sdg:DataServiceEvidenceType", fmt.Errorf("%w: %s", regrep.ErrNamespace, regrep.Name(e)))
	}
	id, err := required(e, "Identifier")
	if err != nil {
		return DataServiceEvidenceType{}, err
	}
	cls, err := required(e, "EvidenceTypeClassification")
	if err != nil {
		return DataServiceEvidenceType{}, err
	}
	t := DataServiceEvidenceType{
		ID:               id,
		Classification:   cls,
		Titles:           texts(e, "Title"),
		Descriptions:     texts(e, "Description"),
		LevelOfAssurance: text(e, "AuthenticationLevelOfAssurance"),
	}
	for _, de := range sdgAll(e, "DistributedAs") {
		d, err := readDistribution(de)
		if err != nil {
			return t, err
		}
		t.Distributions = append(t.Distributions, d)
	}
	for i, se := range sdgAll(e, "AccessService") {
		s, err := readDataService(se)
		if err != nil {
			return t, fmt.Errorf("sdg:AccessService[%d]: %w", i+1, err)
		}
		t.Services = append(t.Services, s)
	}
	if je := sdg(e, "EvidenceProviderJurisdictionDetermination"); je != nil {
		jd, err := readJurisdictionDetermination(je)
		if err != nil {
			return t, err
		}
		t.JurisdictionDetermination = &jd
	}
	for _, ce := range sdgAll(e, "EvidenceProviderClassification") {
		c, err := readConcept(ce, "sdg:EvidenceProviderClassification")
		if err != nil {
			return t, err
		}
		t.Classifications = append(t.Classifications, c)
	}
	return t, nil
}

func readDataService(e *etree.Element) (DataService, error) {
	s := DataService{PartyID: identifier(e), Names: texts(e, "Name"), EDMVersion: text(e, "ConformsTo")}
	if s.PartyID.Value == "" {
		return s, regrep.FieldErr("sdg:AccessService/sdg:Identifier", regrep.ErrMissing)
	}
	if s.PartyID.Type == "" {
		return s, regrep.FieldErr("sdg:AccessService/sdg:Identifier/@schemeID", regrep.ErrMissing)
	}
	pe := sdg(e, "Publisher")
	if pe == nil {
		return s, regrep.FieldErr("sdg:AccessService/sdg:Publisher", regrep.ErrMissing)
	}
	p := EvidenceProvider{ID: identifier(pe), Names: texts(pe, "Name"), Descriptions: texts(pe, "Description")}
	if p.ID.Value == "" {
		return s, regrep.FieldErr("sdg:Publisher/sdg:Identifier", regrep.ErrMissing)
	}
	if ae := sdg(pe, "Address"); ae != nil {
		p.Address = Address{
			FullAddress:       text(ae, "FullAddress"),
			LocatorDesignator: text(ae, "LocatorDesignator"),
			PostCode:          text(ae, "PostCode"),
			PostCityName:      text(ae, "PostCityName"),
			Thoroughfare:      text(ae, "Thoroughfare"),
			Country:           text(ae, "AdminUnitLevel1"),
			AdminLevel2:       text(ae, "AdminUnitLevel2"),
		}
	}
	if je := sdg(pe, "Jurisdiction"); je != nil {
		j, err := readJurisdiction(je)
		if err != nil {
			return s, fmt.Errorf("sdg:Publisher: %w", err)
		}
		p.Jurisdiction = j
	}
	for _, ce := range sdgAll(pe, "ClassificationConcept") {
		c, err := readConcept(ce, "sdg:Publisher/sdg:ClassificationConcept")
		if err != nil {
			return s, err
		}
		p.Classifications = append(p.Classifications, c)
	}
	s.Provider = p
	return s, nil
}
