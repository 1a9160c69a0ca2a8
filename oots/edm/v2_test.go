package edm

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/regrep"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// canonical lists the element tree of an XML document as lines
// "path {ns}local @attr=value… text", with namespaces resolved (so prefixes
// and namespace declarations do not matter), QName attribute values
// (xsi:type) resolved, comments and whitespace dropped, and xsd:dateTime
// texts normalised to UTC.
func canonical(t *testing.T, data []byte) []string {
	t.Helper()
	doc, err := xmlsafe.ParseBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(e *etree.Element, path string)
	walk = func(e *etree.Element, path string) {
		path += "/{" + e.NamespaceURI() + "}" + e.Tag
		var attrs []string
		for _, a := range e.Attr {
			if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
				continue
			}
			ns := ""
			if a.Space != "" {
				ns, _ = regrep.LookupPrefix(e, a.Space)
			}
			val := a.Value
			if ns == regrep.NSXSI && a.Key == "type" {
				vns, local, _ := regrep.ResolveQName(e, val)
				val = "{" + vns + "}" + local
			}
			attrs = append(attrs, fmt.Sprintf("@{%s}%s=%s", ns, a.Key, val))
		}
		sort.Strings(attrs)
		txt := strings.TrimSpace(e.Text())
		if ts, err := time.Parse(time.RFC3339Nano, txt); err == nil {
			txt = ts.UTC().Format(time.RFC3339Nano)
		}
		out = append(out, path+" "+strings.Join(attrs, " ")+" "+txt)
		for _, c := range e.ChildElements() {
			walk(c, path)
		}
	}
	walk(doc.Root(), "")
	return out
}

// TestV2MatchesOOTSFrance checks the v2.0 layout field by field against
// the oots-france v2.0 messages: each is parsed and re-written as v2.0, and
// the re-write must have exactly the elements, attributes and values of the
// original (prefixes, declarations and formatting aside).
func TestV2MatchesOOTSFrance(t *testing.T) {
	var checked int
	for _, s := range completeSamples(t) {
		if s.msg.SpecVersion() != V2 {
			continue
		}
		out, err := s.msg.Marshal(V2)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		want, got := canonical(t, s.data), canonical(t, out)
		if d := firstDiff(want, got); d != "" {
			t.Errorf("%s: v2 re-write differs from the oots-france original:\n%s", s.name, d)
		}
		checked++
	}
	if checked < 8 {
		t.Errorf("compared %d v2.0 messages, want at least 8", checked)
	}
}

// TestV2FromValues builds the oots-france reference request and response
// from Go values and compares them with the reference files.
func TestV2FromValues(t *testing.T) {
	dir := filepath.Join(spectest.Dir(t), "samples", "edm", "v2.0-oots-france", "reference")
	req := &QueryRequest{
		ID:                    "urn:uuid:1a2b3c4d-0000-4000-8000-000000000000",
		IssueDateTime:         time.Date(2026, 8, 6, 10, 0, 0, 0, time.UTC),
		Procedure:             &Procedure{Code: "T3"},
		PossibilityForPreview: false,
		ExplicitRequestGiven:  true,
		Requirements: []Requirement{{
			Identifier:   "https://sr.oots.tech.ec.europa.eu/requirements/f8a6a284-34e9-42c7-9733-63b5c4f4aa42",
			Names:        []Text{{"EN", "Proof of tertiary education diploma/certificate/degree"}},
			Descriptions: []Text{{"EN", "Proof that the person holds a diploma awarded by a tertiary education institution."}},
		}},
		EvidenceRequesters: []Agent{
			{
				Identifier:     Identifier{"00000000000002", "urn:cef.eu:names:identifier:EAS:0009"},
				Names:          []Text{{"FR", "Ministère de l'enseignement supérieur"}},
				Address:        &Address{AdminUnitLevel1: "FR"},
				Classification: ClassEvidenceRequester,
			},
			{
				Identifier:     Identifier{"OOTSFRANCE", "urn:oasis:names:tc:ebcore:partyid-type:unregistered:FR"},
				Names:          []Text{{"EN", "OOTS-France Intermediary Platform"}},
				Classification: ClassIntermediaryPlatform,
			},
		},
		EvidenceProvider: provider(),
		NaturalPerson: &Person{
			LevelOfAssurance: "High", Identifier: Identifier{"FR/DE/123123123", "eidas"},
			FamilyName: "Dupont", GivenName: "Jean", DateOfBirth: "1992-10-22",
		},
		EvidenceRequest: EvidenceType{
			Identifier:     "41170824-15d9-4c16-984e-63b75b937b8c",
			Classification: "https://sr.oots.tech.ec.europa.eu/evidencetypeclassifications/DE/ca8afed6-2dc0-422a-a931-d21c3d8d370e",
			Titles:         []Text{{"EN", "Certificate of Birth"}},
			Descriptions:   []Text{{"EN", "Birth certificate issued by the civil registration office."}},
			DistributedAs:  Distribution{Format: "application/pdf", Languages: []string{"EN"}},
		},
	}
	dinum := Agent{
		Identifier: Identifier{"00000000000001", "urn:cef.eu:names:identifier:EAS:0009"},
		Names:      []Text{{"FR", "Direction interministérielle du numérique"}},
	}
	withAddr := dinum
	withAddr.Address = &Address{AdminUnitLevel1: "FR"}
	withAddr.Classification = ClassEvidenceProvider
	resp := &QueryResponse{
		RequestID:         "urn:uuid:4ffb5281-179d-4578-adf2-39fd13ccc797",
		Status:            StatusSuccess,
		ResponseID:        "1a2b3c4d-0000-4000-8000-000000000004",
		IssueDateTime:     time.Date(2026, 8, 6, 10, 0, 0, 0, time.UTC),
		EvidenceProviders: []Agent{withAddr},
		EvidenceRequester: Agent{Identifier: Identifier{"00000000000002", "urn:cef.eu:names:identifier:EAS:0009"}, Names: []Text{{"FR", "Ministère de l'enseignement supérieur"}}},
		PackageID:         "urn:uuid:1a2b3c4d-0000-4000-8000-000000000016",
		Evidence: []EvidenceItem{{
			ID: "urn:uuid:1a2b3c4d-0000-4000-8000-000000000017",
			Metadata: Evidence{
				Identifier:       "1a2b3c4d-0000-4000-8000-000000000018",
				NaturalPerson:    &Person{Identifier: Identifier{"FR/DE/123123123", "eidas"}, FamilyName: "Dupont", GivenName: "Jean", DateOfBirth: "1992-10-22"},
				IssuingAuthority: dinum,
				IsConformantTo: EvidenceTypeRef{
					Classification: "https://sr.oots.tech.ec.europa.eu/evidencetypeclassifications/DE/ca8afed6-2dc0-422a-a931-d21c3d8d370e",
					Titles:         []Text{{"EN", "Certificate of Birth"}},
				},
				IssuingDate:  "1970-03-03",
				Distribution: Distribution{Format: "application/pdf"},
			},
			Classification: &ObjectClassification{ID: "urn:uuid:1a2b3c4d-0000-4000-8000-000000000019", Scheme: ClassificationSchemeEDM, Node: NodeMainEvidence},
			Attachment:     Attachment{Href: "cid:1a2b3c4d-0000-4000-8000-000000000003@pdf.oots.fr", Title: "Evidence"},
		}},
	}
	expired := &ExceptionResponse{
		RequestID:     "urn:uuid:4ffb5281-179d-4578-adf2-39fd13ccc797",
		ResponseID:    "1a2b3c4d-0000-4000-8000-000000000020",
		ErrorProvider: Agent{Identifier: dinum.Identifier, Names: dinum.Names, Address: &Address{AdminUnitLevel1: "FR"}, Classification: ClassErrorProvider},
		EvidenceRequester: Agent{Identifier: Identifier{"00000000000002", "urn:cef.eu:names:identifier:EAS:0009"},
			Names: []Text{{"FR", "Ministère de l'enseignement supérieur"}}},
		Exception: Exception{Code: CodeTimeout, Timestamp: time.Date(2026, 8, 6, 10, 0, 0, 0, time.UTC)},
	}
	for _, tc := range []struct {
		file string
		msg  Message
	}{
		{"requete.xml", req},
		{"reponse.xml", resp},
		{"erreurExpiration.xml", expired},
	} {
		want, err := os.ReadFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		out, err := tc.msg.Marshal(V2)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if d := firstDiff(canonical(t, want), canonical(t, out)); d != "" {
			t.Errorf("%s built from values differs from the reference:\n%s", tc.file, d)
		}
	}
}

// firstDiff describes the first differing line of two canonical forms.
func firstDiff(want, got []string) string {
	for i := 0; i < len(want) || i < len(got); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			return fmt.Sprintf("line %d\n want %s\n got  %s", i+1, w, g)
		}
	}
	return ""
}
