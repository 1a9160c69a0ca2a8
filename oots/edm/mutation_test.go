package edm

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/vienreiz/vienreiz/internal/conformance"
	"github.com/vienreiz/vienreiz/internal/spectest"
)

// mutant is an official sample with one field broken.
type mutant struct {
	name     string
	sample   string // under samples/edm/v1.0/tdd-examples
	old, new string // the last occurrence of old is replaced by new when last, else the first
	last     bool
	rule     string // the rule Parse and Build name
	set      func(Message)
}

const (
	birthRequest  = "2 Example for requesting a Birth Certificate - natural person/2.1 Step 1  Evidence Request - Birth - full example.xml"
	birthResponse = "2 Example for requesting a Birth Certificate - natural person/2.2 Step 2  Evidence Response - Birth - full example.xml"
	taxRequest    = "4 Example for requesting an Extract of a Commercial Register/4.1 Step 1  Evidence Request  - Tax - full example.xml"
	eduError      = "3 Example for requesting Secondary Education Completion Evidence/3.2 Step 2 Error Response - Education - full example.xml"
)

func req(m Message) *QueryRequest   { return m.(*QueryRequest) }
func resp(m Message) *QueryResponse { return m.(*QueryResponse) }

// mutants breaks official samples one field at a time: each value the
// issue found accepted before, and the same in responses and errors.
var mutants = []mutant{
	{"LoA Medium", birthRequest, "<sdg:LevelOfAssurance>High<", "<sdg:LevelOfAssurance>Medium<", false, "R-EDM-REQ-C037",
		func(m Message) { req(m).NaturalPerson.LevelOfAssurance = "Medium" }},
	{"identifier LV/DE/123", birthRequest, ">DK/DE/123123123<", ">LV/DE/123<", false, "R-EDM-REQ-C039",
		func(m Message) { req(m).NaturalPerson.Identifier.Value = "LV/DE/123" }},
	{"old demo identifier", birthRequest, ">DK/DE/123123123<", ">LV/LV/010190-12345<", false, "R-EDM-REQ-C039",
		func(m Message) { req(m).NaturalPerson.Identifier.Value = "LV/LV/010190-12345" }},
	{"representative LV/DE/99887766", taxRequest, ">EL/DE/123131329<", ">LV/DE/99887766<", false, "R-EDM-REQ-C061",
		func(m Message) { req(m).AuthorizedRepresentative.Identifier.Value = "LV/DE/99887766" }},
	{"DateOfBirth 01.03.1999", birthRequest, ">1970-03-01<", ">01.03.1999<", false, "R-EDM-REQ-C043",
		func(m Message) { req(m).NaturalPerson.DateOfBirth = "01.03.1999" }},
	{"DateOfBirth 1999-02-30", birthRequest, ">1970-03-01<", ">1999-02-30<", false, "R-EDM-REQ-C043",
		func(m Message) { req(m).NaturalPerson.DateOfBirth = "1999-02-30" }},
	{"procedure ZZ", birthRequest, `value="R1"`, `value="ZZ"`, false, "R-EDM-REQ-C003",
		func(m Message) { req(m).Procedure.Code = "ZZ" }},
	{"country XX", birthRequest, "<sdg:AdminUnitLevel1>DK<", "<sdg:AdminUnitLevel1>XX<", true, "R-EDM-REQ-C045",
		func(m Message) { req(m).NaturalPerson.CurrentAddress.AdminUnitLevel1 = "XX" }},
	{"country GR", birthRequest, "<sdg:AdminUnitLevel1>DK<", "<sdg:AdminUnitLevel1>GR<", false, "R-EDM-REQ-C015",
		func(m Message) { req(m).EvidenceRequesters[0].Address.AdminUnitLevel1 = "GR" }},
	{"format application/msword", birthRequest, "<sdg:Format>application/xml<", "<sdg:Format>application/msword<", false, "R-EDM-REQ-C033",
		func(m Message) { req(m).EvidenceRequest.DistributedAs.Format = "application/msword" }},
	{"EAS scheme 9999", birthRequest, "EAS:9930", "EAS:9999", false, "R-EDM-REQ-C018",
		func(m Message) { req(m).EvidenceProvider.Identifier.SchemeID = "urn:cef.eu:names:identifier:EAS:9999" }},
	{"agent classification XY", birthRequest, "<sdg:Classification>ER<", "<sdg:Classification>XY<", false, "R-EDM-REQ-C014",
		func(m Message) { req(m).EvidenceRequesters[0].Classification = "XY" }},
	{"request id not a UUID", birthRequest, `id="urn:uuid:4ffb5281-179d-4578-adf2-39fd13ccc797"`, `id="request-1"`, false, "R-EDM-REQ-S004",
		func(m Message) { req(m).ID = "request-1" }},
	{"IsAbout identifier", birthResponse, ">DK/DE/123123123<", ">LV/DE/123<", false, "R-EDM-RESP-C028",
		func(m Message) { resp(m).Evidence[0].Metadata.NaturalPerson.Identifier.Value = "LV/DE/123" }},
	{"response format", birthResponse, "<sdg:Format>application/xml<", "<sdg:Format>application/msword<", false, "R-EDM-RESP-C023",
		func(m Message) { resp(m).Evidence[0].Metadata.Distribution.Format = "application/msword" }},
	{"provider classification XY", birthResponse, "<sdg:Classification>EP<", "<sdg:Classification>XY<", false, "R-EDM-RESP-C011",
		func(m Message) { resp(m).EvidenceProviders[0].Classification = "XY" }},
	{"error code", eduError, `code="EDM:ERR:0002"`, `code="EDM:ERR:0099"`, false, "R-EDM-ERR-C017",
		func(m Message) { m.(*ExceptionResponse).Exception.Code = "EDM:ERR:0099" }},
}

// TestMutantsRefused: each broken sample is refused by Parse and, built
// from the intact sample with the same field broken, by Marshal, both with
// a RuleError naming the rule; the official validator refuses every
// mutant with the same rule (or, for 1999-02-30, the schema's xs:date), so
// our checks agree with the official ones on these.
func TestMutantsRefused(t *testing.T) {
	dir := filepath.Join(spectest.Dir(t), "samples", "edm", "v1.0", "tdd-examples")
	var docs []conformance.Doc
	for _, m := range mutants {
		orig, err := os.ReadFile(filepath.Join(dir, m.sample))
		if err != nil {
			t.Fatal(err)
		}
		if m.sample == taxRequest { // the official sample breaks R-EDM-REQ-C067 and C061 itself (GR)
			orig = bytes.ReplaceAll(bytes.ReplaceAll(orig, []byte(">GR<"), []byte(">EL<")), []byte(">GR/"), []byte(">EL/"))
		}
		if !bytes.Contains(orig, []byte(m.old)) {
			t.Fatalf("%s: sample has no %q", m.name, m.old)
		}
		at := bytes.Index(orig, []byte(m.old))
		if m.last {
			at = bytes.LastIndex(orig, []byte(m.old))
		}
		broken := append(append(bytes.Clone(orig[:at]), m.new...), orig[at+len(m.old):]...)
		docs = append(docs, conformance.Doc{Name: m.name, Data: broken})

		var re *RuleError
		if _, err := Parse(broken); !errors.As(err, &re) || re.Rule != m.rule {
			t.Errorf("%s: Parse: %v, want a RuleError of %s", m.name, err, m.rule)
		} else if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: RuleError does not wrap ErrInvalid", m.name)
		}
		good, err := Parse(orig)
		if err != nil {
			t.Fatalf("%s: the intact sample: %v", m.name, err)
		}
		m.set(good)
		if _, err := good.Marshal(V1); !errors.As(err, &re) || re.Rule != m.rule {
			t.Errorf("%s: Marshal: %v, want a RuleError of %s", m.name, err, m.rule)
		}
	}
	for i, r := range spectest.Validate(t, docs...) {
		xsd := false
		for _, f := range r.Errors() {
			xsd = xsd || f.RuleSet == "XSD"
		}
		if !r.HasRule(mutants[i].rule) && !xsd {
			t.Errorf("%s: the official validator does not name %s: %v", r.Name, mutants[i].rule, r.Errors())
		}
	}
	t.Logf("%d mutants refused by Parse, Marshal and the official validator", len(mutants))
}
