package as4

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/internal/conformance"
	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sampleUserMessage is the OOTS v2.0 request header of the French samples,
// with an AgreementRef and compression added.
func sampleUserMessage() *UserMessage {
	return &UserMessage{
		MessageID:      "1a2b3c4d-0000-4000-8000-000000000001@oots.eu",
		Timestamp:      time.Date(2026, 8, 6, 10, 0, 0, 0, time.UTC),
		From:           Party{IDs: []PartyID{{Value: "AP_FR_01", Type: PartyIDTypeOOTS}}, Role: GatewayRole},
		To:             Party{IDs: []PartyID{{Value: "AP_DE_01", Type: PartyIDTypeOOTS}}, Role: GatewayRole},
		Agreement:      "urn:oots:agreement",
		PModeID:        "oots-request",
		Service:        OOTSService,
		ServiceType:    OOTSServiceType,
		Action:         ActionQueryRequest,
		ConversationID: "e0a6a5b7-6b2e-4b9c-9a63-8f0c6d3a1b24",
		Properties: []Property{
			{Name: PropOriginalSender, Type: "urn:cef.eu:names:identifier:EAS:0009", Value: "00000000000002"},
			{Name: PropFinalRecipient, Type: "urn:cef.eu:names:identifier:EAS:9930", Value: "DE73524311"},
		},
		Parts: []PartInfo{{Href: "cid:1a2b3c4d-0000-4000-8000-000000000000@oots.eu", Properties: []Property{
			{Name: PartPropMimeType, Value: MimeEbRS},
			{Name: PartPropCompression, Value: MimeGzip},
		}}},
	}
}

func envelopeBytes(t testing.TB, m *Messaging) []byte {
	t.Helper()
	doc := NewEnvelope(m)
	doc.Indent(2)
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUserMessageGoldenAndRoundTrip(t *testing.T) {
	u := sampleUserMessage()
	got := envelopeBytes(t, &Messaging{User: u})
	golden := filepath.Join("testdata", "user-message.golden.xml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("envelope differs from %s (run with -update after checking):\n%s", golden, got)
	}
	doc, err := xmlsafe.ParseBytes(got)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseEnvelope(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.User, withDefaultMPC(u)) {
		t.Errorf("round trip:\n got %+v\nwant %+v", m.User, u)
	}
}

func withDefaultMPC(u *UserMessage) *UserMessage {
	c := *u
	if c.MPC == "" {
		c.MPC = DefaultMPC
	}
	return &c
}

// TestParseSpecHeaders reads every OOTS v2.0 eb:Messaging sample and checks
// the fields an OOTS access point routes on, and that building the parsed
// model again gives the same model.
func TestParseSpecHeaders(t *testing.T) {
	dir := filepath.Join(spectest.Dir(t), "as4", "v2.0", "oots-france-ebms-headers")
	files, err := filepath.Glob(filepath.Join(dir, "*.entete.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples in %s: %v", dir, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := xmlsafe.ParseBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			m, err := ParseMessaging(doc.Root())
			if err != nil {
				t.Fatal(err)
			}
			u := m.User
			if u == nil || u.Service != OOTSService || u.ServiceType != OOTSServiceType {
				t.Fatalf("service: %+v", u)
			}
			switch u.Action {
			case ActionQueryRequest, ActionQueryResponse, ActionExceptionResponse:
			default:
				t.Errorf("action %q", u.Action)
			}
			if u.From.IDs[0].Type != PartyIDTypeOOTS || u.From.Role != GatewayRole {
				t.Errorf("from: %+v", u.From)
			}
			if u.Property(PropOriginalSender) == "" || u.Property(PropFinalRecipient) == "" {
				t.Errorf("originalSender/finalRecipient missing: %+v", u.Properties)
			}
			if len(u.Parts) == 0 || u.Parts[0].ContentID() == "" || u.Parts[0].Property(PartPropMimeType) != MimeEbRS {
				t.Errorf("parts: %+v", u.Parts)
			}
			again, err := ParseEnvelope(mustParse(t, envelopeBytes(t, m)))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(again.User, u) {
				t.Errorf("rebuilt header differs:\n got %+v\nwant %+v", again.User, u)
			}
		})
	}
}

func mustParse(t testing.TB, b []byte) *etree.Document {
	t.Helper()
	doc, err := xmlsafe.ParseBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestBuiltEnvelopesValidateAgainstEbMS3XSD runs oots-validate --kind ebms
// over a user message, a receipt with NRR and an error signal.
func TestBuiltEnvelopesValidateAgainstEbMS3XSD(t *testing.T) {
	ref := etree.NewElement("ds:Reference")
	ref.CreateAttr("xmlns:ds", NSDSig)
	ref.CreateAttr("URI", "#_body")
	ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", "http://www.w3.org/2001/04/xmlenc#sha256")
	ref.CreateElement("ds:DigestValue").SetText("AAAA")
	ts := time.Date(2026, 8, 6, 10, 0, 1, 0, time.UTC)
	msgs := map[string]*Messaging{
		"user.xml":    {User: sampleUserMessage()},
		"receipt.xml": {Signals: []*SignalMessage{{MessageID: "r1@vienreiz", RefToMessageID: "m1@vienreiz", Timestamp: ts, Receipt: &Receipt{References: []*etree.Element{ref}}}}},
		"error.xml":   {Signals: []*SignalMessage{{MessageID: "e1@vienreiz", RefToMessageID: "m1@vienreiz", Timestamp: ts, Errors: []*Error{ErrDecompressionFailure.Withf("m1@vienreiz", "bomb")}}}},
	}
	var docs []conformance.Doc
	for name, m := range msgs {
		docs = append(docs, conformance.Doc{Name: name, Data: envelopeBytes(t, m), Kind: conformance.EbMS})
	}
	for _, r := range spectest.Validate(t, docs...) {
		if errs := r.Errors(); len(errs) > 0 {
			t.Errorf("%s: %v", r.Name, errs)
		}
	}
}

func TestParseMessagingRejects(t *testing.T) {
	good := string(envelopeBytes(t, &Messaging{User: sampleUserMessage()}))
	cases := []struct {
		name, from, to string
		want           *Error
		detail         string
	}{
		{"missing MessageId", "<eb:MessageId>1a2b3c4d-0000-4000-8000-000000000001@oots.eu</eb:MessageId>", "", ErrInvalidHeader, "eb:MessageId missing"},
		{"empty Service", ">QueryManager<", "><", ErrInvalidHeader, "eb:Service missing or empty"},
		{"bad timestamp", "2026-08-06T10:00:00.000Z", "yesterday", ErrInvalidHeader, "eb:Timestamp"},
		{"no PartyId", `<eb:PartyId type="urn:oasis:names:tc:ebcore:partyid-type:unregistered:oots">AP_DE_01</eb:PartyId>`, "", ErrInvalidHeader, "eb:To has no eb:PartyId"},
		{"MessageId with brackets", "0001@oots.eu</eb:MessageId>", "0001@oots.eu&gt;</eb:MessageId>", ErrInvalidHeader, "angle brackets"},
		{"body payload", `href="cid:1a2b3c4d-0000-4000-8000-000000000000@oots.eu"`, "", ErrInvalidHeader, "without href"},
		{"external payload", `href="cid:1a2b3c4d`, `href="http://evil/1a2b3c4d`, ErrInvalidHeader, "only cid:"},
		{"SOAP 1.1", NSSOAP12, "http://schemas.xmlsoap.org/soap/envelope/", ErrInvalidHeader, "not a SOAP 1.2 Envelope"},
		{"no Messaging", "eb:Messaging", "eb:Other", ErrInvalidHeader, "eb:Messaging header missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := 1
			if c.name == "no Messaging" {
				n = 2 // opening and closing tag
			}
			doc, err := xmlsafe.ParseBytes([]byte(strings.Replace(good, c.from, c.to, n)))
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseEnvelope(doc)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.detail) {
				t.Fatalf("got %v, want %s containing %q", err, c.want.Code, c.detail)
			}
		})
	}
}

func TestSignalRoundTrip(t *testing.T) {
	ts := time.Date(2026, 8, 6, 10, 0, 1, 0, time.UTC)
	m := &Messaging{Signals: []*SignalMessage{{
		MessageID: "e1@vienreiz", RefToMessageID: "m1@vienreiz", Timestamp: ts,
		Errors: []*Error{ErrFailedAuthentication.Withf("m1@vienreiz", "signature value does not match")},
	}}}
	got, err := ParseEnvelope(mustParse(t, envelopeBytes(t, m)))
	if err != nil {
		t.Fatal(err)
	}
	e := got.Signals[0].Errors[0]
	if !errors.Is(e, ErrFailedAuthentication) || e.RefToMessageInError != "m1@vienreiz" || e.Origin != "security" ||
		e.Detail != "signature value does not match" || e.Severity != "failure" {
		t.Errorf("error signal: %+v", e)
	}
}

func FuzzParseMessaging(f *testing.F) {
	f.Add(envelopeBytes(f, &Messaging{User: sampleUserMessage()}))
	f.Add(envelopeBytes(f, &Messaging{Signals: []*SignalMessage{{MessageID: "e1", Timestamp: time.Unix(0, 0), Errors: []*Error{ErrOther.Withf("m", "x")}}}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := xmlsafe.ParseBytes(data)
		if err != nil {
			return
		}
		m, err := ParseEnvelope(doc)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == "" {
				t.Fatalf("parse error is not an ebMS error: %v", err)
			}
			return
		}
		if m.User == nil && len(m.Signals) == 0 {
			t.Fatal("accepted an empty eb:Messaging")
		}
		if u := m.User; u != nil {
			if u.MessageID == "" || u.Service == "" || u.Action == "" || len(u.From.IDs) == 0 || len(u.To.IDs) == 0 {
				t.Fatalf("accepted an incomplete user message: %+v", u)
			}
			// What we accept we can write and read back the same.
			again, err := ParseEnvelope(mustParse(t, envelopeBytes(t, &Messaging{User: u})))
			if err != nil {
				t.Fatalf("rebuilt message does not parse: %v", err)
			}
			if again.User.MessageID != u.MessageID || len(again.User.Parts) != len(u.Parts) {
				t.Fatalf("rebuilt message differs: %+v", again.User)
			}
		}
	})
}

// TestSignalGolden pins the wire form of a receipt with non-repudiation
// information and of an error signal.
func TestSignalGolden(t *testing.T) {
	ts := time.Date(2026, 8, 6, 10, 0, 1, 0, time.UTC)
	sig := mustParse(t, []byte(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>`+
		`<ds:Reference URI="#_messaging"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>bWVzc2FnaW5n</ds:DigestValue></ds:Reference>`+
		`<ds:Reference URI="cid:p@x"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>cGFydA==</ds:DigestValue></ds:Reference>`+
		`</ds:SignedInfo></ds:Signature>`))
	refs := sig.FindElements("//Reference") // still attached: the copy must carry its namespace
	cases := map[string]*Messaging{
		"receipt.golden.xml": {Signals: []*SignalMessage{{MessageID: "r1@de", RefToMessageID: "m1@lv", Timestamp: ts, Receipt: &Receipt{References: refs}}}},
		"error.golden.xml": {Signals: []*SignalMessage{{MessageID: "e1@de", RefToMessageID: "m1@lv", Timestamp: ts,
			Errors: []*Error{ErrDecompressionFailure.Withf("m1@lv", "part p@x: size limit exceeded")}}}},
	}
	for name, m := range cases {
		got := envelopeBytes(t, m)
		golden := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs (run with -update after checking):\n%s", name, got)
		}
		back, err := ParseEnvelope(mustParse(t, got))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if r := back.Signals[0].Receipt; r != nil && (len(r.References) != 2 || referenceKey(r.References[1]) != "cid:p@x cGFydA==") {
			t.Errorf("%s: references read back %d", name, len(r.References))
		}
	}
}
