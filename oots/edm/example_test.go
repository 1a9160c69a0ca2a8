package edm_test

import (
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/oots/edm"
)

// The exchange service builds a request from catalogue and directory data,
// in the EDM version the receiving member state announced, and reads
// whatever comes back.
func Example() {
	v, err := edm.ParseVersion("oots-edm:v2.0") // from the DSD entry or P-Mode
	if err != nil {
		panic(err)
	}
	req := &edm.QueryRequest{
		ID:                    edm.NewID(),
		ExchangeID:            "7d1c1b9e-4b8e-4f0e-8a51-2f0f7c3a9e10",
		IssueDateTime:         time.Now(),
		Procedure:             &edm.Procedure{Code: "R1", Lang: "EN"},
		PossibilityForPreview: true,
		ExplicitRequestGiven:  true,
		EvidenceRequesters: []edm.Agent{{
			Identifier:     edm.Identifier{Value: "LV40003245752", SchemeID: "urn:cef.eu:names:identifier:EAS:9939"},
			Names:          []edm.Text{{Lang: "EN", Value: "Enterprise Register of Latvia"}},
			Classification: edm.ClassEvidenceRequester,
		}},
		EvidenceProvider: edm.Agent{
			Identifier: edm.Identifier{Value: "DE73524311", SchemeID: "urn:cef.eu:names:identifier:EAS:9930"},
			Names:      []edm.Text{{Lang: "EN", Value: "Civil Registration Office Berlin I"}},
		},
		NaturalPerson: &edm.Person{
			LevelOfAssurance: "High",
			Identifier:       edm.Identifier{Value: "LV/DE/12345612345", SchemeID: "eidas"},
			FamilyName:       "Bērziņa", GivenName: "Anna", DateOfBirth: "1990-04-12",
		},
		EvidenceRequest: edm.EvidenceType{
			Identifier:     "2af27699-f131-4411-8fdb-9e8cd4e8bded",
			Classification: "https://sr.oots.tech.europa.eu/evidencetypeclassifications/DE/ca8afed6-2dc0-422a-a931-d21c3d8d370e",
			Titles:         []edm.Text{{Lang: "EN", Value: "Certificate of Birth"}},
			DistributedAs:  edm.Distribution{Format: "application/pdf"},
		},
	}
	payload, err := req.Marshal(v) // the AS4 user message payload
	if err != nil {
		panic(err)
	}

	// The provider asks for a preview ...
	reply, _ := edm.NewPreviewRequired(req, req.EvidenceProvider,
		"https://preview.example.de/s/123", time.Now()).Marshal(v)

	// ... and the requester reads whatever came back.
	msg, err := edm.Parse(reply)
	if err != nil {
		panic(err)
	}
	switch m := msg.(type) {
	case *edm.QueryResponse:
		fmt.Println("evidence in", m.Evidence[0].Attachment.ContentID())
	case *edm.ExceptionResponse:
		if m.PreviewRequired() {
			second := req.AfterPreview(m.Exception.PreviewLocation, time.Now())
			fmt.Println("preview at", second.PreviewLocation, "then resend, same exchange:", second.ExchangeID == req.ExchangeID)
		} else {
			fmt.Println("failed:", m.Exception.Code, m.Exception.Code.Name())
		}
	}
	fmt.Println(len(payload) > 0, msg.SpecVersion())
	// Output:
	// preview at https://preview.example.de/s/123 then resend, same exchange: true
	// true oots-edm:v2.0
}
