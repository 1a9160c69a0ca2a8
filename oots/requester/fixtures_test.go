package requester

import (
	"bytes"
	"io"
	"log/slog"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// testQuery is a complete first query for a Latvian birth record.
func testQuery() Query {
	pid := commonsvc.PartyID{Type: commonsvc.PartyIDTypeUnregistered, Value: "demo-lv-vital-records"}
	return Query{
		ExchangeID:  "6a1b7a37-36c1-4d39-9d38-4bd0d7c7e0c1",
		Procedure:   "R1",
		Requirement: Requirement{ID: "https://sr.oots.tech.europa.eu/requirements/315cfd75-6605-49c4-b0fe-799833b41099", Name: "Proof of birth"},
		EvidenceType: EvidenceType{
			ID: "0b3c1b4e-3c6a-5d6b-8f0a-1c2d3e4f5a6b", Classification: "https://sr.oots.tech.europa.eu/evidencetypeclassifications/LV/2b1f2c4e-0b5d-4d3c-9e7a-6a5b4c3d2e1f",
			Titles: commonsvc.Texts{{Lang: "EN", Value: "Birth certificate"}}, Format: "application/pdf",
		},
		Provider: commonsvc.DataService{
			PartyID: pid, EDMVersion: string(edm.V1),
			Provider: commonsvc.EvidenceProvider{
				ID:    commonsvc.PartyID{Type: "urn:cef.eu:names:identifier:EAS:0037", Value: "0245437-2"},
				Names: commonsvc.Texts{{Lang: "EN", Value: "Civil registry"}}, Address: commonsvc.Address{Country: "FI"},
			},
		},
		Subject:   Person{Identifier: "LV/LV/12345612345", GivenName: "Anna", FamilyName: "Bērziņa", DateOfBirth: "1990-04-12"},
		Requester: Authority{ID: "LV90000011588", Name: "Vienreiz exchange service"},
	}
}

func opener(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// delivery wraps an EDM body and extra payloads as a received answer.
func delivery(action string, body []byte, extra ...as4.Payload) *as4.Delivery {
	return &as4.Delivery{
		Message: &as4.UserMessage{
			MessageID: "answer-1@demo", RefToMessageID: "request-1@lv", ConversationID: "conv-1",
			Service: as4.OOTSService, Action: action,
			Properties: []as4.Property{{Name: PropExchangeID, Value: "exchange-1"}},
		},
		Payloads: append([]as4.Payload{{ContentID: "edm@demo", MimeType: as4.MimeEbRS, Open: opener(body)}}, extra...),
	}
}

// answers returns a preview-required answer and an evidence answer whose
// attachment has Content-ID cid, both to testQuery's request.
func answers(cid string) (preview, evidence []byte) {
	q := testQuery()
	req := q.request(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	agent := req.EvidenceProvider
	x := edm.NewPreviewRequired(req, agent, "https://127.0.0.1:1/preview/abc", req.IssueDateTime)
	preview, err := x.Marshal(edm.V1)
	if err != nil {
		panic(err)
	}
	qr := edm.NewQueryResponse(req, agent, req.IssueDateTime, edm.EvidenceItem{
		ID: edm.NewID(),
		Metadata: edm.Evidence{
			Identifier: edm.NewUUID(), NaturalPerson: req.NaturalPerson, IssuingAuthority: agent,
			IsConformantTo: edm.EvidenceTypeRef{Classification: req.EvidenceRequest.Classification, Titles: req.EvidenceRequest.Titles},
			IssuingDate:    "2026-11-25", Distribution: edm.Distribution{Format: "application/pdf"},
		},
		Attachment: edm.Attachment{Href: "cid:" + cid, Title: "Birth certificate"},
	})
	evidence, err = qr.Marshal(edm.V1)
	if err != nil {
		panic(err)
	}
	return preview, evidence
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
