package commonsvc

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/internal/spectest"
)

func TestTextsGet(t *testing.T) {
	ts := Texts{{Lang: "LV", Value: "Dzimšana"}, {Lang: "EN", Value: "Birth"}}
	for _, tc := range []struct {
		ts   Texts
		lang string
		want string
	}{
		{ts, "lv", "Dzimšana"},
		{ts, "DE", "Birth"},
		{Texts{{Lang: "FI", Value: "Syntymä"}}, "DE", "Syntymä"},
		{nil, "EN", ""},
	} {
		if got := tc.ts.Get(tc.lang); got != tc.want {
			t.Errorf("Get(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
}

func TestJurisdictionLevel(t *testing.T) {
	for _, tc := range []struct {
		j    Jurisdiction
		want string
	}{
		{Jurisdiction{}, ""},
		{Jurisdiction{Country: "DE"}, JurisdictionCountry},
		{Jurisdiction{Country: "DE", AdminLevel2: "DE3"}, JurisdictionNUTS1},
		{Jurisdiction{Country: "DE", AdminLevel2: "DE30"}, JurisdictionNUTS2},
		{Jurisdiction{Country: "DE", AdminLevel2: "DE300"}, JurisdictionNUTS3},
		{Jurisdiction{Country: "DE", AdminLevel3: "11000000"}, JurisdictionLAU},
	} {
		if got := tc.j.Level(); got != tc.want {
			t.Errorf("%+v: level %q, want %q", tc.j, got, tc.want)
		}
	}
}

func TestPartyIDURN(t *testing.T) {
	for _, tc := range []struct {
		p    PartyID
		want string
	}{
		{PartyID{Type: PartyIDTypeUnregistered, Value: "demo-lv-vid"}, "urn:oasis:names:tc:ebcore:partyid-type:unregistered:demo-lv-vid"},
		{PartyID{Type: "urn:oasis:names:tc:ebcore:partyid-type:unregistered:FI", Value: "AP_FI_03"}, "urn:oasis:names:tc:ebcore:partyid-type:unregistered:FI:AP_FI_03"},
		{PartyID{Type: "urn:cef.eu:names:identifier:EAS:0204", Value: "11-IntermediaryPlatform-58"}, "11-IntermediaryPlatform-58"},
	} {
		if got := tc.p.URN(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
}

func TestJurisdictionDeterminationParam(t *testing.T) {
	if p := (JurisdictionDetermination{Level: JurisdictionLAU}).Param(); p != ParamAdminLevel3 {
		t.Errorf("LAU param %s", p)
	}
	if p := (JurisdictionDetermination{Level: JurisdictionNUTS1}).Param(); p != ParamAdminLevel2 {
		t.Errorf("NUTS1 param %s", p)
	}
}

// TestQueryValues checks the URL parameters against the TDD examples.
func TestQueryValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		{"requirements", RequirementsQuery{Procedure: "T2", Country: "SK"}.Values().Encode(),
			"country-code=SK&procedure-id=T2&queryId=urn%3Afdc%3Aoots%3Aeb%3Aebxml-regrep%3Aqueries%3Arequirements-by-procedure-and-jurisdiction"},
		{"evidence types", EvidenceTypesQuery{RequirementID: "https://sr.oots.tech.europa.eu/requirements/x", Country: "SK", AdminLevel2: "SK0"}.Values().Encode(),
			"country-code=SK&jurisdiction-admin-l2=SK0&queryId=urn%3Afdc%3Aoots%3Aeb%3Aebxml-regrep%3Aqueries%3Aevidence-types-by-requirement-and-jurisdiction&requirement-id=https%3A%2F%2Fsr.oots.tech.europa.eu%2Frequirements%2Fx"},
		// The TDD's second DSD request: evidence type id, context id, LAU
		// code and a classification answer named by its id.
		{"data services", DataServicesQuery{Classification: "C", Country: "DE", EvidenceTypeID: "2af27699", JurisdictionContext: "5ce148b9", AdminLevel3: "11000000",
			Classifications: map[string]string{"b07146b6": "ApplicantHasBeenResidentInGermany"}}.Values().Encode(),
			"b07146b6=ApplicantHasBeenResidentInGermany&country-code=DE&evidence-type-classification=C&evidence-type-id=2af27699&jurisdiction-admin-l3=11000000&jurisdiction-context-id=5ce148b9&queryId=urn%3Afdc%3Aoots%3Adsd%3Aebxml-regrep%3Aqueries%3Adataservices-by-evidencetype-and-jurisdiction"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, tc.got, tc.want)
		}
	}
}

// TestCodeInfoMatchesCodeLists reads the official EB and DSD error code
// lists and checks Code.Info gives every code's message and type.
func TestCodeInfoMatchesCodeLists(t *testing.T) {
	n := 0
	for _, name := range []string{"EBErrorCodes-CodeList.gc", "DSDErrorCodes-CodeList.gc"} {
		doc := etree.NewDocument()
		if err := doc.ReadFromFile(filepath.Join(spectest.Dir(t), "codelists", "v1.0", "OOTS", name)); err != nil {
			t.Fatal(err)
		}
		for _, row := range doc.FindElements("//Row") {
			col := map[string]string{}
			for _, v := range row.SelectElements("Value") {
				if sv := v.SelectElement("SimpleValue"); sv != nil {
					col[v.SelectAttrValue("ColumnRef", "")] = strings.TrimSpace(sv.Text())
				}
			}
			msg, typ, ok := Code(col["code"]).Info()
			if !ok || msg != col["name-Value"] || string(typ) != col["name-Type"] {
				t.Errorf("%s: Info() = %q %q %v; code list says %q %q", col["code"], msg, typ, ok, col["name-Value"], col["name-Type"])
			}
			n++
		}
	}
	if n != 13 {
		t.Errorf("%d codes in the code lists, want 13", n)
	}
	if _, _, ok := Code("EB:ERR:0099").Info(); ok {
		t.Error("unknown code has info")
	}
}
