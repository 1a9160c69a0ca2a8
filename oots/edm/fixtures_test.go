package edm

import "time"

// Typical messages built from Go values, as the exchange service and the
// provider side build them. Values follow the OOTS code lists so that the
// v1.0 validator accepts them.

var fixedNow = time.Date(2026, 11, 25, 20, 30, 0, 0, time.UTC)

func requester() Agent {
	return Agent{
		Identifier: Identifier{Value: "LV40003245752", SchemeID: "urn:cef.eu:names:identifier:EAS:9939"},
		Names:      []Text{{"EN", "Enterprise Register of Latvia"}, {"LV", "Latvijas Republikas Uzņēmumu reģistrs"}},
		Address: &Address{
			FullAddress: "Pērses iela 2, Rīga, LV-1011", LocatorDesignator: "2", PostCode: "LV-1011",
			PostCityName: "Rīga", Thoroughfare: "Pērses iela", AdminUnitLevel1: "LV", AdminUnitLevel2: "LV006",
		},
		Classification: ClassEvidenceRequester,
	}
}

func provider() Agent {
	return Agent{
		Identifier: Identifier{Value: "DE73524311", SchemeID: "urn:cef.eu:names:identifier:EAS:9930"},
		Names:      []Text{{"EN", "Civil Registration Office Berlin I"}},
	}
}

func birthEvidenceType() EvidenceType {
	return EvidenceType{
		Identifier:     "2af27699-f131-4411-8fdb-9e8cd4e8bded",
		Classification: "https://sr.oots.tech.europa.eu/evidencetypeclassifications/DE/ca8afed6-2dc0-422a-a931-d21c3d8d370e",
		Titles:         []Text{{"EN", "Certificate of Birth"}, {"DE", "Geburtsurkunde"}},
		Descriptions:   []Text{{"EN", "An official certificate of birth of a person."}},
		DistributedAs: Distribution{
			Format:         "application/xml",
			Languages:      []string{"DE"},
			ConformsTo:     "https://sr.oots.tech.europa.eu/distributions/certificate-of-birth-1.0.0",
			Transformation: "https://sr.oots.tech.europa.eu/distributions/certificate-of-birth-1.0.0/age-of-majority",
		},
	}
}

func citizen() *Person {
	return &Person{
		LevelOfAssurance: "High",
		Identifier:       Identifier{Value: "LV/DE/12345612345", SchemeID: "eidas"},
		FamilyName:       "Bērziņa",
		GivenName:        "Anna",
		DateOfBirth:      "1990-04-12",
		BirthName:        "Kalniņa",
		PlaceOfBirth:     "Berlin, Germany",
		CurrentAddress: &Address{
			FullAddress: "Brīvības iela 1, Rīga, LV-1010", PostCode: "LV-1010", PostCityName: "Rīga",
			Thoroughfare: "Brīvības iela", LocatorDesignator: "1", AdminUnitLevel1: "LV", AdminUnitLevel2: "LV006",
		},
		Gender: GenderFemale,
		SectorSpecific: []Attribute{{
			Name: "IBAN", URI: "http://eidas.europa.eu/attributes/naturalperson/banking/IBAN", Value: "LV80BANK0000435195001",
		}},
	}
}

// naturalRequest is the typical first request: natural person, preview
// possible.
func naturalRequest() *QueryRequest {
	return &QueryRequest{
		ID:                    "urn:uuid:0e4c8f2a-5a43-4c1e-9f55-3b0a3c1d2e01",
		ExchangeID:            "7d1c1b9e-4b8e-4f0e-8a51-2f0f7c3a9e10",
		Lang:                  "LV",
		IssueDateTime:         fixedNow,
		Procedure:             &Procedure{Code: "R1", Lang: "EN"},
		PossibilityForPreview: true,
		ExplicitRequestGiven:  true,
		Requirements: []Requirement{{
			Identifier:   "https://sr.oots.tech.europa.eu/requirements/315cfd75-6605-49c4-b0fe-799833b41099",
			Names:        []Text{{"EN", "Proof of Birth"}},
			Descriptions: []Text{{"EN", "Proof that the person was born."}},
		}},
		EvidenceRequesters: []Agent{requester()},
		EvidenceProvider:   provider(),
		EvidenceProviderClassifications: []ProviderClassification{{
			Identifier:      "b07146b6-1468-41a7-a10f-ee2a61429dbc",
			Type:            "Codelist",
			ValueExpression: "https://sr.oots.tech.europa.eu/ep-classification/de/countryresidence",
			Descriptions:    []Text{{"EN", "Rules of responsibility for the processing of personal status cases"}},
			SupportedValue:  &SupportedValue{Kind: "StringValue", Values: []string{"ApplicantHasNeverBeenResidentInGermany"}},
		}},
		NaturalPerson:   citizen(),
		EvidenceRequest: birthEvidenceType(),
	}
}

// legalRequest asks for a company extract, made by an authorised
// representative, through an intermediary platform.
func legalRequest() *QueryRequest {
	r := naturalRequest()
	r.ID = "urn:uuid:0e4c8f2a-5a43-4c1e-9f55-3b0a3c1d2e02"
	r.Lang = ""
	r.NaturalPerson = nil
	r.EvidenceProviderClassifications = nil
	r.PossibilityForPreview = false
	r.Procedure = &Procedure{Code: "T2"}
	r.EvidenceRequesters = append(r.EvidenceRequesters, Agent{
		Identifier:     Identifier{Value: "VIENREIZ", SchemeID: "urn:oasis:names:tc:ebcore:partyid-type:unregistered:LV"},
		Names:          []Text{{"EN", "Vienreiz intermediary platform"}},
		Classification: ClassIntermediaryPlatform,
	})
	r.LegalPerson = &LegalPerson{
		LevelOfAssurance:      "High",
		Identifiers:           []Identifier{{Value: "40003245752", SchemeID: "Tax"}, {Value: "LV40003245752", SchemeID: "VAT"}},
		LegalPersonIdentifier: Identifier{Value: "LV/DE/40003245752", SchemeID: "eidas"},
		LegalName:             "Vienreiz SIA",
		RegisteredAddress:     &Address{FullAddress: "Pērses iela 2, Rīga", AdminUnitLevel1: "LV", AdminUnitLevel2: "LV006"},
	}
	r.AuthorizedRepresentative = citizen()
	return r
}

func birthEvidence() Evidence {
	return Evidence{
		Identifier:       "37a169f1-9cf6-4aa8-ac24-b083fa569173",
		NaturalPerson:    &Person{Identifier: Identifier{Value: "LV/DE/12345612345", SchemeID: "eidas"}, FamilyName: "Bērziņa", GivenName: "Anna", DateOfBirth: "1990-04-12"},
		IssuingAuthority: provider(),
		IsConformantTo: EvidenceTypeRef{
			Classification: "https://sr.oots.tech.europa.eu/evidencetypeclassifications/DE/ca8afed6-2dc0-422a-a931-d21c3d8d370e",
			Titles:         []Text{{"EN", "Certificate of Birth"}},
		},
		IssuingDate: "1990-04-20",
		Distribution: Distribution{
			Format: "application/xml", Languages: []string{"DE"},
			ConformsTo: "https://sr.oots.tech.europa.eu/distributions/certificate-of-birth-1.0.0",
		},
		ValidityPeriod: &Period{StartDate: "2026-01-01", EndDate: "2027-01-01"},
	}
}

func typicalResponse() *QueryResponse {
	req := naturalRequest()
	req.Version = V1
	p := provider()
	p.Address = &Address{FullAddress: "Schönstedtstraße 5, 13357 Berlin", AdminUnitLevel1: "DE", AdminUnitLevel2: "DE3"}
	r := NewQueryResponse(req, p, fixedNow.Add(2*time.Minute), EvidenceItem{
		ID:         "urn:uuid:f073cbe2-cf2a-4f46-b9ff-d4b0fde53ab1",
		Metadata:   birthEvidence(),
		Attachment: Attachment{Href: "cid:attachment100001@example.oots.eu", Title: "BirthCertificate"},
	})
	r.ResponseID = "166155eb-d7a7-4cac-9086-8a85f0116462"
	return r
}

func errorProvider() Agent {
	p := provider()
	p.Address = &Address{FullAddress: "Schönstedtstraße 5, 13357 Berlin", AdminUnitLevel1: "DE", AdminUnitLevel2: "DE3"}
	return p
}

func previewResponse() *ExceptionResponse {
	r := NewPreviewRequired(naturalRequest(), errorProvider(),
		"https://preview.example.de/requests?session=d36af8bc-fea6-4ee5-a32d-5bef82cdb071", fixedNow.Add(time.Minute))
	r.ResponseID = "530ad1e2-5eaf-4a9a-8192-227432eea95d"
	r.Exception.PreviewDescription = []Text{{"EN", "Please confirm your birth certificate."}, {"LV", "Lūdzu, apstipriniet dzimšanas apliecību."}}
	return r
}

// errorResponses returns one error response per EDM error code.
func errorResponses() map[ErrorCode]*ExceptionResponse {
	out := map[ErrorCode]*ExceptionResponse{}
	for _, c := range Codes() {
		if c == CodePreviewRequired {
			out[c] = previewResponse()
			continue
		}
		r := NewErrorResponse(naturalRequest(), errorProvider(), c, "details of "+string(c), fixedNow.Add(time.Minute))
		r.ResponseID = "530ad1e2-5eaf-4a9a-8192-227432eea95d"
		out[c] = r
	}
	return out
}
